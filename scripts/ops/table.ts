/** Plain-text tables for a terminal: columns padded to their widest cell, long cells cut with an ellipsis. */

const MAX_CELL = 80;

const cell = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  const text = value instanceof Date ? value.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : String(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
};

export function table(headers: string[], rows: unknown[][]): string {
  const cells = rows.map((row) => row.map(cell));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const format = (row: string[]) => row.map((text, i) => text.padEnd(widths[i])).join('  ').trimEnd();
  return [format(headers), format(widths.map((w) => '-'.repeat(w))), ...cells.map(format)].join('\n');
}

/** 3725000 → "1h 2m"; under a minute in seconds. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean).join(' ') || '0m';
}
