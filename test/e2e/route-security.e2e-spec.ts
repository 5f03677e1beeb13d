import { describe, expect, it } from '@jest/globals';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Public } from '../../src/auth/public.decorator.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

/**
 * Every route that may be called without a token. Adding one is a decision: make it here. (/docs is
 * public too, served outside Nest's router: see openapi.e2e-spec.ts.)
 */
const PUBLIC_ROUTES = [
  'GET /health',
  'GET /health/ready',
  'POST /payments/stripe/webhook',
  'GET /',
  'GET /checkout/success',
  'GET /checkout/cancel',
];

/** Public to user tokens, but guarded by a token of their own (METRICS_TOKEN): 401 without it. */
const OWN_TOKEN_ROUTES = ['GET /metrics'];

interface Route {
  method: string;
  path: string;
  isPublic: boolean;
}

function registeredRoutes(t: TestApp): Route[] {
  const discovery = t.app.get(DiscoveryService, { strict: false });
  const scanner = t.app.get(MetadataScanner, { strict: false });
  const reflector = t.app.get(Reflector, { strict: false });
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as {
      new (): object;
      prototype: Record<string, () => unknown>;
    } | null;
    if (!controller) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = controller.prototype[name];
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
      const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
      const isPublic = Boolean(reflector.getAllAndOverride(Public, [handler, controller]));
      routes.push({ method: RequestMethod[method], path, isPublic });
    }
  }
  return routes;
}

describe('default deny: every route is public on purpose or authenticated', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { METRICS_TOKEN: 'route-security-metrics-token' });

  it('finds the routes of every module', () => {
    const names = registeredRoutes(t).map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining(['GET /users/me', 'GET /content/pro', ...PUBLIC_ROUTES, ...OWN_TOKEN_ROUTES]),
    );
  });

  it('marks public exactly the routes on the allowlist', () => {
    const publicRoutes = registeredRoutes(t)
      .filter((route) => route.isPublic)
      .map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes.sort()).toEqual([...PUBLIC_ROUTES, ...OWN_TOKEN_ROUTES].sort());
  });

  it('answers 401 without a token on every other route', async () => {
    const ownToken = (r: Route) => OWN_TOKEN_ROUTES.includes(`${r.method} ${r.path}`);
    for (const route of registeredRoutes(t).filter((r) => !r.isPublic || ownToken(r))) {
      const url = route.path.replace(/:(\w+)/g, 'sample-$1');
      const response = await t.app.inject({ method: route.method as 'GET', url, payload: {} });
      expect({ route: `${route.method} ${route.path}`, status: response.statusCode }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
      });
    }
  });
});
