/** One entry of the PACKAGES variable: `id:name[:stripePriceId]`. */
export interface PackageDefinition {
  id: number;
  name: string;
  stripePriceId?: string;
}

const NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const PRICE_ID = /^[A-Za-z0-9_]+$/;

/**
 * Parses `1:basic,2:pro` (optionally `1:basic:price_123,...`). Returns an error message naming the
 * bad entry instead of throwing, so the config loader can report it with the variable name.
 */
export function parsePackages(raw: string): PackageDefinition[] | string {
  const definitions: PackageDefinition[] = [];
  for (const entry of raw.split(',').map((part) => part.trim())) {
    const [idText, name, priceId, ...rest] = entry.split(':');
    const id = Number(idText);
    if (!/^\d+$/.test(idText ?? '') || !Number.isSafeInteger(id) || id < 1) {
      return `entry "${entry}": the id must be a positive integer (format id:name[:stripePriceId])`;
    }
    if (!name || !NAME.test(name) || name === 'none') {
      return `entry "${entry}": the name must be a lowercase word (a-z, 0-9, _ or -, starting with a letter), not "none"`;
    }
    if (rest.length > 0 || (priceId !== undefined && !PRICE_ID.test(priceId))) {
      return `entry "${entry}": the Stripe price id must be letters, digits and _ (format id:name[:stripePriceId])`;
    }
    if (definitions.some((known) => known.id === id)) return `id ${id} appears twice`;
    if (definitions.some((known) => known.name === name)) return `name "${name}" appears twice`;
    definitions.push({ id, name, ...(priceId ? { stripePriceId: priceId } : {}) });
  }
  return definitions.sort((a, b) => a.id - b.id);
}
