import type { PackageDefinition } from '../config/packages.js';
import { parseUsageLimit, type UsageLimit } from './usage-limit.js';

/** Limits by package id; a package without an entry is unlimited. */
export type PackageLimits = ReadonlyMap<number, readonly UsageLimit[]>;

/**
 * `none=60/min,basic=600/min+100000/month,pro=6000/min`: names (or ids) from PACKAGES, each with one or
 * more limits joined by `+`. Returns the limits or a message naming what is wrong.
 */
export function parsePackageLimits(
  raw: string,
  packages: readonly PackageDefinition[],
): PackageLimits | string {
  const limits = new Map<number, UsageLimit[]>();
  const text = raw.trim();
  if (text === '') return limits;
  for (const entry of text.split(',')) {
    const [name, spec, extra] = entry.split('=').map((part) => part.trim());
    if (!name || !spec || extra !== undefined) return `"${entry.trim()}" is not <package>=<limit>[+<limit>…]`;
    const packageId = packageIdOf(name, packages);
    if (packageId === undefined) return `"${name}" is not a package of PACKAGES (or none)`;
    if (limits.has(packageId)) return `"${name}" is listed twice`;
    const parsed: UsageLimit[] = [];
    for (const part of spec.split('+')) {
      const limit = parseUsageLimit(part);
      if (typeof limit === 'string') return limit;
      if (parsed.some((other) => other.policy === limit.policy))
        return `"${name}" has two ${limit.policy} limits`;
      parsed.push(limit);
    }
    limits.set(packageId, parsed);
  }
  return limits;
}

function packageIdOf(ref: string, packages: readonly PackageDefinition[]): number | undefined {
  if (ref === 'none' || ref === '0') return 0;
  const found = packages.find((pkg) => pkg.name === ref || String(pkg.id) === ref);
  return found?.id;
}
