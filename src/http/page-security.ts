import { randomBytes } from 'node:crypto';

// The API's policy (`default-src 'none'`) would leave a page unstyled and Swagger UI blank. A page
// gets the least that lets it render: no 'unsafe-inline', no 'unsafe-eval', nothing from elsewhere.
const PAGE_RULES =
  "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A fresh nonce for one page's inline stylesheet. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The CSP of packgate's own pages: only the stylesheet carrying this answer's nonce applies. */
export function pageContentSecurityPolicy(nonce: string): string {
  return `${PAGE_RULES}; style-src 'nonce-${nonce}'`;
}

/** The CSP of /docs: Swagger UI's script and stylesheet from this server, the document fetched from it. */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
