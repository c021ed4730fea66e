// The merchant's accent colour and a text colour that reads on it (WCAG AA, 4.5:1); in a
// merchant's frame, the loader's theme (colours, radius, font) as CSS custom properties.
import * as v from 'valibot';
import { THEME_PARAMS, type FrameTheme } from '../../src/contract/embed.ts';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const DEFAULT_ACCENT = '#2f6fde';

/** CSS custom properties for the accent; white or black text, whichever contrasts more (one always reaches 4.58:1). */
export function accentCss(accent: string | undefined): string {
  const color = accent && /^#[0-9a-fA-F]{6}$/.test(accent) ? accent.toLowerCase() : DEFAULT_ACCENT;
  const on = contrast(color, '#ffffff') >= contrast(color, '#000000') ? '#fff' : '#000';
  return `:root{--accent:${color};--on-accent:${on}}`;
}

const Color = v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'must be #rrggbb'));

/** The loader's theme option as the page's query carries it (src/contract/embed.ts THEME_PARAMS). */
const THEME: { [K in keyof FrameTheme]-?: v.GenericSchema<string, string> } = {
  background: v.union([v.literal('transparent'), Color], 'must be #rrggbb or transparent'),
  accent: Color,
  text: Color,
  radius: v.pipe(v.string(), v.regex(/^(1?\d|2[0-4])$/, 'must be 0 to 24')),
  font: v.pipe(
    v.string(),
    v.regex(/^[\p{L}\d ,-]{1,100}$/u, 'must be font names: letters, digits, spaces, commas, hyphens'),
  ),
};

/**
 * CSS for a form in a merchant's frame with the loader's theme. Each option is checked on its
 * own: one that is not acceptable is left out (and named in the returned problems), the rest apply.
 */
export function frameTheme(param: (name: string) => string | undefined): {
  accent?: string;
  css: string;
  problems: string[];
} {
  const got: Partial<Record<keyof FrameTheme, string>> = {};
  const problems: string[] = [];
  for (const key of Object.keys(THEME) as Array<keyof FrameTheme>) {
    const raw = param(THEME_PARAMS[key]);
    if (raw === undefined) continue;
    const r = v.safeParse(THEME[key], raw);
    if (r.success) got[key] = r.output;
    else problems.push(`${THEME_PARAMS[key]} ${r.issues[0].message}`);
  }
  const vars = [
    got.background && `--bg:${got.background}`,
    got.text && `--fg:${got.text}`,
    got.radius && `--radius:${got.radius}px`,
  ].filter(Boolean);
  const css = (vars.length ? `:root{${vars.join(';')}}` : '') + (got.font ? `body{font-family:${got.font}}` : '');
  return { accent: got.accent, css, problems };
}
