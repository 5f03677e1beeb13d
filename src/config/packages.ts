/** One entry of the PACKAGES variable: `id:name[:price1|price2|…]`. */
export interface PackageDefinition {
  id: number;
  name: string;
  /** The price checkout sells: the first one listed. */
  stripePriceId?: string;
  /** Every price still honoured for this package, the sold one first; empty when none is listed. */
  stripePriceIds: string[];
}

const FORMAT = 'format id:name[:price1|price2|…]';
const NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const PRICE_ID = /^[A-Za-z0-9_]+$/;

/**
 * Parses `1:basic,2:pro` (optionally `1:basic:price_b2|price_b1,...`: the first price is sold, all are
 * recognised). Returns an error message naming the bad entry instead of throwing, so the config loader
 * can report it with the variable name.
 */
export function parsePackages(raw: string): PackageDefinition[] | string {
  const definitions: PackageDefinition[] = [];
  const priceOwners = new Map<string, string>();
  for (const entry of raw.split(',').map((part) => part.trim())) {
    const [idText, name, prices, ...rest] = entry.split(':');
    const id = Number(idText);
    if (!/^\d+$/.test(idText ?? '') || !Number.isSafeInteger(id) || id < 1) {
      return `entry "${entry}": the id must be a positive integer (${FORMAT})`;
    }
    if (!name || !NAME.test(name) || name === 'none') {
      return `entry "${entry}": the name must be a lowercase word (a-z, 0-9, _ or -, starting with a letter), not "none"`;
    }
    const priceIds = prices === undefined ? [] : prices.split('|');
    if (rest.length > 0 || priceIds.some((price) => !PRICE_ID.test(price))) {
      return `entry "${entry}": each Stripe price id must be letters, digits and _ (${FORMAT})`;
    }
    if (definitions.some((known) => known.id === id)) return `id ${id} appears twice`;
    if (definitions.some((known) => known.name === name)) return `name "${name}" appears twice`;
    for (const price of priceIds) {
      const owner = priceOwners.get(price);
      // One price, one package: otherwise a payment at that price could not say which package it bought.
      if (owner)
        return `price ${price} is listed for ${owner === name ? `"${name}" twice` : `both "${owner}" and "${name}"`}`;
      priceOwners.set(price, name);
    }
    definitions.push({
      id,
      name,
      ...(priceIds.length > 0 ? { stripePriceId: priceIds[0] } : {}),
      stripePriceIds: priceIds,
    });
  }
  return definitions.sort((a, b) => a.id - b.id);
}

/** Parses PACKAGES_ALLOW_RENAME (`2` or `2,3`); an error message instead of throwing, as above. */
export function parsePackageIds(raw: string): number[] | string {
  const entries = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const bad = entries.find(
    (entry) => !/^\d+$/.test(entry) || !Number.isSafeInteger(Number(entry)) || Number(entry) < 1,
  );
  if (bad !== undefined) return `"${bad}" is not a package id (a positive integer)`;
  return [...new Set(entries.map(Number))].sort((a, b) => a - b);
}
