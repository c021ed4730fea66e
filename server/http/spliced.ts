// A response body with holes: its fixed parts compressed once, off the main thread, and
// joined with the few bytes that change (a nonce, the time), left uncompressed. The result
// is one valid gzip or brotli stream whose content is exactly the parts and the values in
// order. The whole answer is laid out once; an answer is that copy with its values written
// over the holes (and, for gzip, its checksum), so a value keeps its hole's byte length.
//
// gzip: each fixed part is its own raw deflate stream ended by a sync flush, so it refers
// to nothing before it; a value is a stored block; the trailer's CRC-32 is worked out per
// response.
//
// brotli: one encoder sees the parts with a placeholder in each hole and is flushed around
// it (and around the first two bytes after it), so these have meta-blocks of their own;
// those are replaced by an uncompressed meta-block with the value and the same two bytes.
// That is valid when the decoder's state after it is the one the encoder assumed:
// - the value has the placeholder's length, so distances across it stay right;
// - the placeholder is made of control bytes that occur nowhere else in the text, so
//   nothing after it can refer into it;
// - the two bytes after the hole are the same on both sides, so the next literals are
//   coded in the same context (brotli picks a literal's code by the two bytes before it);
// - what the dropped meta-blocks did to the distance cache does not depend on the value.
// The last point is the one the encoder decides, so every template is checked once by
// decoding it (with any values: given the others, the result cannot depend on them).
import { promisify } from 'node:util';
import {
  constants,
  createBrotliCompress,
  crc32,
  deflateRaw as deflateRawCallback,
  brotliDecompressSync,
} from 'node:zlib';
import type { Encoding } from './compress.ts';

const deflateRaw = promisify(deflateRawCallback);

/** Fixed parts and holes, alternating: parts.length === holes.length + 1. */
export interface Template {
  parts: Buffer[];
  /** Byte length of each hole as made (brotli values must keep it). */
  holes: number[];
}

export interface Spliced {
  encoding: Encoding;
  /** The whole answer as laid out, its holes holding any bytes. */
  bytes: Buffer;
  /** Where each hole starts in `bytes`. */
  at: number[];
  /** Each hole's byte length: a value must have it. */
  holes: number[];
  /** Plain parts (shared with the template): for the gzip checksum. */
  plain: Buffer[];
  /** Bytes held, for a cache's budget. */
  size: number;
}

/**
 * Text this short between two values goes into one hole with them: every hole costs its own
 * compressed blocks, about 40 bytes of brotli; a few plain bytes cost less.
 */
const JOIN_BELOW = 32;

/** A hole's content: marks' values (by index) and the text between them. */
export type Slot = Array<number | string>;

/**
 * Splits text at every occurrence of the given values (in their context); null when one never
 * occurs, or a `once` one more than once. Values close together share a hole.
 */
export function cut(text: string, marks: { value: string; before?: string; after?: string; once?: boolean }[]) {
  const found: { at: number; length: number; mark: number }[] = [];
  for (const [mark, { value, before = '', after = '', once }] of marks.entries()) {
    const needle = before + value + after;
    let n = 0;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length), n++)
      found.push({ at: at + before.length, length: value.length, mark });
    if (n === 0 || (once && n > 1)) return null;
  }
  found.sort((a, b) => a.at - b.at);
  const parts: Buffer[] = [];
  const slots: Slot[] = [];
  let from = 0;
  for (const f of found) {
    if (f.at < from) return null; // overlapping marks: ambiguous
    const between = text.slice(from, f.at);
    if (slots.length && between.length < JOIN_BELOW) slots[slots.length - 1]!.push(between, f.mark);
    else {
      parts.push(Buffer.from(between));
      slots.push([f.mark]);
    }
    from = f.at + f.length;
  }
  parts.push(Buffer.from(text.slice(from)));
  const holeOf = (slot: Slot, values: string[]) => slot.map((p) => (typeof p === 'number' ? values[p]! : p)).join('');
  const made = marks.map((m) => m.value);
  return {
    template: { parts, holes: slots.map((slot) => Buffer.byteLength(holeOf(slot, made))) } satisfies Template,
    slots,
    /** The holes' contents for an answer, given each mark's value in it. */
    fillers: (values: string[]) => slots.map((slot) => holeOf(slot, values)),
  };
}

/** Control bytes (no tab, line feed or carriage return): never in the pages we send. */
const ALPHABET = [...Array(32).keys()].filter((b) => b > 0 && ![9, 10, 13].includes(b));

/** A de Bruijn sequence over ALPHABET: every pair of bytes occurs in it once. */
function pairwiseDistinct(): Buffer {
  const k = ALPHABET.length;
  const seen = new Set<number>();
  const out = [0];
  // Greedy (prefer the largest next symbol) walk: yields a sequence with distinct pairs.
  for (;;) {
    const last = out[out.length - 1]!;
    let next = -1;
    for (let s = k - 1; s >= 0; s--)
      if (!seen.has(last * k + s)) {
        next = s;
        break;
      }
    if (next < 0) break;
    seen.add(last * k + next);
    out.push(next);
  }
  return Buffer.from(out.map((i) => ALPHABET[i]!));
}
const PLACEHOLDER = pairwiseDistinct();

/** The placeholders for a template's holes: slices of one sequence, so no pair repeats across them. */
function placeholders(holes: number[]): Buffer[] | null {
  const total = holes.reduce((a, b) => a + b, 0);
  if (total > PLACEHOLDER.length - 1) return null;
  let at = 0;
  return holes.map((n) => PLACEHOLDER.subarray(at, (at += n)));
}

const hasControlBytes = (b: Buffer) => b.some((x) => x < 32 && x !== 9 && x !== 10 && x !== 13);

/** Bytes of the text after a hole that travel with its value (they fix the literal context, see above). */
const TAIL = 2;

async function brotliParts(t: Template, quality: number): Promise<Buffer[] | null> {
  const holders = placeholders(t.holes);
  if (!holders || t.parts.some(hasControlBytes) || t.parts.slice(1).some((p) => p.length < TAIL)) return null;
  const size = t.parts.reduce((n, p) => n + p.length, 0) + t.holes.reduce((n, h) => n + h, 0);
  const enc = createBrotliCompress({
    params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: size },
  });
  const chunks: Buffer[] = [];
  enc.on('data', (c: Buffer) => chunks.push(c));
  enc.setMaxListeners(0);
  const take = () => Buffer.concat(chunks.splice(0));
  const flushed = (data: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      enc.once('error', reject);
      enc.write(data);
      enc.flush(constants.BROTLI_OPERATION_FLUSH, () => {
        enc.off('error', reject);
        resolve(take());
      });
    });
  const out: Buffer[] = [];
  for (const [i, part] of t.parts.entries()) {
    const own = i === 0 ? part : part.subarray(TAIL);
    if (i === t.parts.length - 1) {
      enc.end(own);
      await new Promise((resolve, reject) => enc.once('end', resolve).once('error', reject));
      out.push(take());
    } else {
      out.push(await flushed(own));
      // The placeholder and the next part's first bytes, in meta-blocks of their own: dropped.
      await flushed(Buffer.concat([holders[i]!, t.parts[i + 1]!.subarray(0, TAIL)]));
    }
  }
  return out;
}

/** An uncompressed brotli meta-block's header (ISLAST 0, 4 nibbles of MLEN-1, ISUNCOMPRESSED 1, padded to the byte). */
function uncompressedMetaBlockHeader(length: number): Buffer {
  const bits = ((length - 1) << 3) | (1 << 19);
  return Buffer.from([bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff]);
}

/** A deflate stored block's header (BFINAL 0). */
function storedBlockHeader(n: number): Buffer {
  return Buffer.from([0, n & 0xff, n >> 8, ~n & 0xff, (~n >> 8) & 0xff]);
}

const EMPTY = Buffer.alloc(0);
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
/** The longest hole a single uncompressed brotli meta-block or stored deflate block holds (with brotli's tail). */
const MAX_HOLE = 0xffff - TAIL;

/**
 * Compresses a template's parts once and lays out the whole answer. Brotli: null when the
 * template cannot be spliced (its text holds control bytes, or its holes are too long), or
 * when the check that a spliced answer decodes to the plain one fails; then compress each
 * answer whole.
 */
export async function splice(t: Template, encoding: Encoding, brotliQuality = 11): Promise<Spliced | null> {
  if (t.holes.some((n) => n > MAX_HOLE)) return null;
  let parts: Buffer[] | null;
  if (encoding === 'br') parts = await brotliParts(t, brotliQuality);
  else if (encoding === 'gzip')
    parts = await Promise.all(
      t.parts.map((p, i) =>
        deflateRaw(p, {
          level: 9,
          finishFlush: i === t.parts.length - 1 ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
        }),
      ),
    );
  else parts = t.parts;
  if (!parts) return null;
  // Each hole: what comes before its value (a block header), and after it (brotli's tail).
  const before = (n: number) =>
    encoding === 'br' ? uncompressedMetaBlockHeader(n + TAIL) : encoding === 'gzip' ? storedBlockHeader(n) : EMPTY;
  const pieces: Buffer[] = encoding === 'gzip' ? [GZIP_HEADER] : [];
  const at: number[] = [];
  let length = pieces.reduce((n, p) => n + p.length, 0);
  const add = (b: Buffer) => (pieces.push(b), (length += b.length));
  for (const [i, part] of parts.entries()) {
    add(part);
    if (i === t.holes.length) break;
    add(before(t.holes[i]!));
    at.push(length);
    add(Buffer.alloc(t.holes[i]!, 0x41));
    if (encoding === 'br') add(t.parts[i + 1]!.subarray(0, TAIL));
  }
  if (encoding === 'gzip') {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(t.parts.reduce((n, p) => n + p.length, 0) + t.holes.reduce((n, h) => n + h, 0), 4);
    add(trailer);
  }
  const bytes = Buffer.concat(pieces, length);
  const spliced: Spliced = { encoding, bytes, at, holes: t.holes, plain: t.parts, size: bytes.length };
  if (encoding === 'br') {
    // The check the header speaks of: decoded, the body is the text with the values in.
    const values = t.holes.map((n) => 'A'.repeat(n));
    const plain = Buffer.concat(t.parts.flatMap((p, i) => (i < values.length ? [p, Buffer.from(values[i]!)] : [p])));
    if (!brotliDecompressSync(fill(spliced, values)!).equals(plain)) return null;
  }
  return spliced;
}

/** The body for one answer; undefined when a value's byte length differs from its hole's. */
export function fill(s: Spliced, values: string[]): Buffer | undefined {
  if (values.length !== s.holes.length) throw new Error(`${values.length} values for ${s.holes.length} holes`);
  const out = Buffer.allocUnsafe(s.bytes.length);
  s.bytes.copy(out);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (Buffer.byteLength(value) !== s.holes[i]) return undefined;
    out.write(value, s.at[i]!);
  }
  if (s.encoding === 'gzip') {
    let crc = 0;
    for (let i = 0; i < s.plain.length; i++) {
      crc = crc32(s.plain[i]!, crc);
      if (i < values.length) crc = crc32(values[i]!, crc);
    }
    out.writeUInt32LE(crc >>> 0, out.length - 8);
  }
  return out;
}
