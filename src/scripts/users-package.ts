/**
 * `npm run -s users:package -- alice@example.com pro [--reason "…"] [--by you@example.com]` sets a
 * user's package by hand, as staff do through PUT /admin/users/:email/package: through the grants
 * ledger, recorded in the user's history. Package: a name from PACKAGES, an id, or `none`.
 */
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module.js';
import { normalizeEmail } from '../common/email.js';
import { loadConfig } from '../config/app-config.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import { LedgerService } from '../payments/ledger/ledger.service.js';

export async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      reason: { type: 'string', default: 'set with npm run users:package' },
      by: { type: 'string', default: 'operator@packgate.local' },
    },
  });
  if (positionals.length !== 2) {
    throw new Error(
      'usage: npm run -s users:package -- <email> <package name, id or none> [--reason "…"] [--by <email>]',
    );
  }
  const config = loadConfig(process.env);
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error'],
  });
  try {
    const [emailArg, packageArg] = positionals;
    const catalog = context.get(PackageCatalog);
    const target = catalog.findByText(packageArg);
    if (!target)
      throw new Error(`no package ${packageArg}; known: none, ${catalog.paid.map((p) => p.name).join(', ')}`);
    const email = normalizeEmail(emailArg);
    const packageId = await context
      .get(LedgerService)
      .setPackageByStaff(email, target.id, normalizeEmail(values.by), values.reason);
    console.log(`${email} now has package ${packageId} (${catalog.nameOf(packageId)})`);
  } finally {
    await context.close();
  }
}
