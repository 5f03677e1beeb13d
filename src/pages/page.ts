import { newNonce, pageContentSecurityPolicy } from '../http/page-security.js';

export interface Page {
  html: string;
  contentSecurityPolicy: string;
}

const STYLE = `body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1d2733; }
h1 { font-size: 1.6rem; margin-bottom: 0.25rem; }
.version { color: #5b6773; margin-top: 0; }
a { color: #0b5cad; }
li { margin: 0.3rem 0; }
code { background: #eef1f4; padding: 0 0.25rem; border-radius: 3px; }`;

/**
 * A complete page around `body` (trusted markup: callers interpolate nothing from the request). Its
 * inline stylesheet carries a fresh nonce that only this answer's CSP names.
 */
export function renderPage(title: string, body: string): Page {
  const nonce = newNonce();
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">
${STYLE}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
  return { html, contentSecurityPolicy: pageContentSecurityPolicy(nonce) };
}
