// A hot query built and compiled once per kind of store, then run with new values.
// Kysely builds a frozen tree and compiles it to SQL on every call, which on the busiest
// paths (the API token, createPayout) costs more than SQLite takes to run the statement.
// The query is built with markers in place of the arguments (an object argument, such as
// an insert's row, gets one per key); the compiled parameters that hold a marker take
// that value on each run, the rest stay as compiled.
import type { Compilable, Kysely } from 'kysely';

const MARKER = '\u0000payee-argument-';

type Arg = string | number | null | Record<string, string | number | null>;
/** Where a compiled parameter's value comes from: an argument, or one key of an object argument. */
type Slot = { arg: number; key?: string } | null;

interface Template {
  parameters: readonly unknown[];
  slots: Slot[];
  /** The keys of each object argument, as the query was built with them. */
  keys: Array<string[] | undefined>;
  query: ReturnType<Compilable<unknown>['compile']>;
}

/**
 * On SQLite, a read made with `{ committed: true }` runs straight on a read-only connection of
 * its own: the one writing connection is queued behind each group in turn (db/group-commit.ts),
 * and Kysely's machinery costs more than the read. It sees what is committed, as another process
 * or a PostgreSQL pool would: right for the page's reads, wrong for a read that must see its own
 * group's writes (createPayout's orderNumber check).
 */
const committedReaders = new WeakMap<object, (sql: string, params: readonly unknown[]) => unknown[]>();

export function readCommittedWith(db: object, read: (sql: string, params: readonly unknown[]) => unknown[]): void {
  committedReaders.set(db, read);
}

const isObject = (a: Arg): a is Record<string, string | number | null> => a !== null && typeof a === 'object';

/**
 * `build` must use each argument only as a value (never to decide the query's shape):
 * what it does with the markers is what every call gets. No value may be undefined
 * (Kysely would leave it out of an insert; pass null), and an object argument must
 * have the same keys on every call.
 */
export function prepared<D, A extends Arg[], R>(
  build: (db: Kysely<D>, ...args: A) => Compilable<R>,
  { committed = false } = {},
): (db: Kysely<D>, ...args: A) => Promise<R[]> {
  // The SQL depends on the dialect alone (SQLite or PostgreSQL), the same for every database and transaction of it.
  const templates = new Map<object, Template>();
  return async (db, ...args) => {
    const dialect = db.getExecutor().adapter.constructor;
    let template = templates.get(dialect);
    if (!template) templates.set(dialect, (template = compile(db, build, args)));
    args.forEach((a, i) => {
      const keys = template.keys[i];
      if (keys ? !isObject(a) || Object.keys(a).length !== keys.length : isObject(a) || a === undefined) {
        throw new Error(`prepared query: argument ${i} is not of the shape it was built with`);
      }
    });
    const parameters = template.parameters.map((p, i) => {
      const slot = template.slots[i];
      if (!slot) return p;
      const arg = args[slot.arg]!;
      const value = slot.key === undefined ? arg : (arg as Record<string, unknown>)[slot.key];
      if (value === undefined) throw new Error(`prepared query: no value for ${slot.key ?? slot.arg}`);
      return value;
    });
    const read = committed ? committedReaders.get(db) : undefined;
    if (read) return read(template.query.sql, parameters) as R[];
    const result = await db.executeQuery<R>({ ...template.query, parameters });
    return result.rows;
  };
}

function compile<D, A extends Arg[], R>(
  db: Kysely<D>,
  build: (db: Kysely<D>, ...args: A) => Compilable<R>,
  args: A,
): Template {
  const keys = args.map((a) => (isObject(a) ? Object.keys(a) : undefined));
  const markers = args.map((a, i) =>
    isObject(a) ? Object.fromEntries(Object.keys(a).map((k) => [k, `${MARKER}${i}.${k}`])) : `${MARKER}${i}`,
  ) as A;
  const query = build(db, ...markers).compile();
  const used = new Set<string>();
  const slots = query.parameters.map((p): Slot => {
    if (typeof p !== 'string' || !p.startsWith(MARKER)) return null;
    const [arg, key] = p.slice(MARKER.length).split(/\.(.*)/s);
    used.add(p);
    return { arg: Number(arg), key };
  });
  const expected = keys.reduce((n, k) => n + (k ? k.length : 1), 0);
  if (used.size !== expected) throw new Error('a prepared query must use every argument as a value');
  return { parameters: query.parameters, slots, keys, query };
}
