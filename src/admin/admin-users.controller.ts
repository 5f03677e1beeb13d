import { Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CurrentIdentity, type Identity } from '../auth/current-identity.decorator.js';
import { packageRefSchema } from '../common/package-ref.js';
import { ValidBody } from '../common/parse-body.js';
import { normalizeEmail } from '../common/email.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import type { AuditEntry } from '../payments/ledger/ledger.js';
import { LedgerService } from '../payments/ledger/ledger.service.js';
import { UnknownPackageError } from '../payments/payment.errors.js';
import { TokenCallerGuard } from '../auth/token-caller.guard.js';
import { StaffGuard } from './staff.guard.js';

const setPackageBody = z.strictObject({
  package: packageRefSchema,
  reason: z.string().trim().min(1).max(500),
});
type SetPackageBody = z.infer<typeof setPackageBody>;

/** Staff grant and revoke packages by hand, through the same ledger as payments, and read the history. */
@Controller('admin/users')
@UseGuards(TokenCallerGuard, StaffGuard)
export class AdminUsersController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly catalog: PackageCatalog,
  ) {}

  /**
   * Sets the user's package to exactly this one (higher grants are revoked, a staff grant added if
   * needed) and answers the package the ledger derived.
   */
  @Put(':email/package')
  async setPackage(
    @Param('email') rawEmail: string,
    @ValidBody(setPackageBody, '{ "package": "<name, id or none>", "reason": "<why>" }')
    request: SetPackageBody,
    @CurrentIdentity() staff: Identity,
  ) {
    const email = normalizeEmail(rawEmail);
    const target = this.catalog.find(request.package);
    if (!target) throw new UnknownPackageError(`There is no package ${JSON.stringify(request.package)}.`);
    // What the ledger derived after the change, not what was asked for: the answer says what is.
    const packageId = await this.ledger.setPackageByStaff(email, target.id, staff.email, request.reason);
    return { email, packageId, package: this.catalog.nameOf(packageId) };
  }

  /** Every change of the user's package, newest first. */
  @Get(':email/history')
  async history(@Param('email') rawEmail: string): Promise<{ email: string; history: AuditEntry[] }> {
    const email = normalizeEmail(rawEmail);
    return { email, history: await this.ledger.history(email) };
  }
}
