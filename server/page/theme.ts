// The merchant's accent colour and a text colour that reads on it (WCAG AA, 4.5:1).

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
