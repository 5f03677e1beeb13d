import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { PACKAGE_INFO } from '../common/package-info.js';
import { OpenApiOperation } from '../openapi/openapi-operation.decorator.js';
import { renderPage } from './page.js';

interface PageContent {
  title: string;
  body: string;
}

const HTML_PAGE = {
  description: 'An HTML page.',
  content: { 'text/html': { schema: { type: 'string' as const } } },
};

const HOME: PageContent = {
  title: PACKAGE_INFO.name,
  body: `<h1>${PACKAGE_INFO.name}</h1>
<p class="version">version ${PACKAGE_INFO.version}</p>
<p>An API that sells access by package. Call it with <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<ul>
<li><a href="/docs">API documentation</a> (OpenAPI: <a href="/docs/openapi.json">/docs/openapi.json</a>)</li>
<li><a href="/health">Health</a></li>
</ul>`,
};

const CHECKOUT_SUCCESS: PageContent = {
  title: 'Payment received',
  body: `<h1>Thank you: your payment went through</h1>
<p>Your package is granted as soon as the payment provider confirms the payment to this server, usually
within a few seconds. Nothing more to do here.</p>
<ul>
<li>Check your package with <code>GET /users/me</code>.</li>
<li>Calls to routes of the package you bought answer 200 from then on, instead of 402.</li>
<li>A subscription is managed (card, invoices, cancelling) from <code>POST /payments/portal</code>.</li>
</ul>
<p><a href="/">Back to the start page</a></p>`,
};

const CHECKOUT_CANCEL: PageContent = {
  title: 'Checkout cancelled',
  body: `<h1>Checkout cancelled: nothing was charged</h1>
<p>Your package is unchanged. To buy it after all, start a new checkout with
<code>POST /payments/checkout</code>: the open one is offered again while it lasts.</p>
<p><a href="/">Back to the start page</a></p>`,
};

/** Pages a person opens: the start page and where the payment provider sends a buyer back. */
@Public()
@OpenApiOperation({ tags: ['Pages'], responses: { 200: HTML_PAGE } })
@Controller()
export class PagesController {
  @Get()
  home(@Res({ passthrough: true }) reply: FastifyReply): string {
    return send(reply, HOME);
  }

  @Get('checkout/success')
  checkoutSuccess(@Res({ passthrough: true }) reply: FastifyReply): string {
    return send(reply, CHECKOUT_SUCCESS);
  }

  @Get('checkout/cancel')
  checkoutCancel(@Res({ passthrough: true }) reply: FastifyReply): string {
    return send(reply, CHECKOUT_CANCEL);
  }
}

// Rendered per answer (a few microseconds): each gets its own nonce.
function send(reply: FastifyReply, { title, body }: PageContent): string {
  const page = renderPage(title, body);
  reply.type('text/html; charset=utf-8').header('content-security-policy', page.contentSecurityPolicy);
  return page.html;
}
