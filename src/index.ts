/** packgate's public API, for apps built on it: assemble the app, guard routes, read the caller. */
export { createApp, type CreateAppOptions } from './app.factory.js';
export { Public } from './auth/public.decorator.js';
export { CurrentIdentity, type Identity } from './auth/current-identity.decorator.js';
export { Unlimited } from './usage/unlimited.decorator.js';
export { RequiresPackage } from './entitlements/requires-package.decorator.js';
export { CurrentUser, type CurrentUserInfo } from './entitlements/current-user.decorator.js';
export { normalizeEmail, type Email } from './common/email.js';
export { DomainError, DependencyUnavailableError, InvalidRequestError } from './common/domain-error.js';
export { AuthenticationError } from './auth/authentication.error.js';
export { PackageRequiredError } from './entitlements/package-required.error.js';
export { PackageCatalog, type Package } from './entitlements/package-catalog.js';
export { Entitlements, type UserAccess } from './entitlements/entitlements.js';
export { ValidBody, ValidQuery } from './common/parse-body.js';
export { OpenApiOperation } from './openapi/openapi-operation.decorator.js';
