/**
 * `npm run -s users:package -- alice@example.com pro` sets a user's package by hand (registering the
 * user if needed), through the same setUserPackage every other write uses. Package: a name from
 * PACKAGES, an id, or `none`.
 */
import { ConfigService } from '@nestjs/config';
import { normalizeEmail } from '../common/email.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import { DynamoUsersRepository } from '../users/dynamo-users.repository.js';
import { UserPackageChanges } from '../users/user-package-changes.js';
import { withDynamo } from './with-dynamo.js';

await withDynamo('users:package', async ({ config, dynamo, where }) => {
  const [emailArg, packageArg, ...rest] = process.argv.slice(2);
  if (!emailArg || !packageArg || rest.length > 0) {
    throw new Error('usage: npm run -s users:package -- <email> <package name or id>');
  }
  const catalog = new PackageCatalog(config.packages);
  const target = catalog.find(/^\d+$/.test(packageArg) ? Number(packageArg) : packageArg);
  if (!target) {
    throw new Error(`no package ${packageArg}; known: none, ${catalog.paid.map((p) => p.name).join(', ')}`);
  }
  const users = new DynamoUsersRepository(dynamo, new UserPackageChanges(), new ConfigService(config));
  const email = normalizeEmail(emailArg);
  await users.addUser(email);
  const user = await users.setUserPackage(email, target.id);
  console.log(`${user.email} now has package ${target.id} (${target.name}) on ${where}`);
});
