import type { PackageDefinition } from '../config/packages.js';

/** What a route asks for: a package by name or id, or `null` for "any paid package". */
export type PackageRef = string | number | null;

export interface Package {
  id: number;
  name: string;
  /** The price checkout sells. */
  stripePriceId?: string;
  /** Every price recognised as this package's, the sold one first. */
  stripePriceIds: string[];
}

export const NO_PACKAGE: Package = { id: 0, name: 'none', stripePriceIds: [] };

/** The ordered tiers from PACKAGES; a higher id includes every lower one. */
export class PackageCatalog {
  private readonly byId = new Map<number, Package>();
  private readonly byName = new Map<string, Package>();
  private readonly byPrice = new Map<string, Package>();

  constructor(definitions: PackageDefinition[]) {
    for (const pkg of [NO_PACKAGE, ...definitions]) {
      this.byId.set(pkg.id, pkg);
      this.byName.set(pkg.name, pkg);
      for (const price of pkg.stripePriceIds) this.byPrice.set(price, pkg);
    }
  }

  /** Every paid package, lowest first. */
  get paid(): Package[] {
    return [...this.byId.values()].filter((pkg) => pkg.id > 0);
  }

  find(ref: string | number): Package | undefined {
    return typeof ref === 'number' ? this.byId.get(ref) : this.byName.get(ref);
  }

  /** A package named on a command line: an id (`2`) or a name (`pro`, `none`). */
  findByText(text: string): Package | undefined {
    return this.find(/^\d+$/.test(text) ? Number(text) : text);
  }

  /** The package that lists this Stripe price, sold or older; PACKAGES refuses a price listed twice. */
  findByPrice(priceId: string): Package | undefined {
    return this.byPrice.get(priceId);
  }

  /** The package a route requirement stands for; "any paid" is the lowest paid package. */
  resolve(ref: PackageRef): Package | undefined {
    return ref === null ? this.paid[0] : this.find(ref);
  }

  /** A name for any stored id, including ids no longer in the catalog. */
  nameOf(packageId: number): string {
    return this.byId.get(packageId)?.name ?? `package-${packageId}`;
  }
}
