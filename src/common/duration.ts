const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `72h`, `3d` (or `0`) in milliseconds; null for anything else. */
export function parseDuration(text: string): number | null {
  if (text.trim() === '0') return 0;
  const match = /^\s*(\d{1,6})\s*([smhd])\s*$/.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2]] : null;
}
