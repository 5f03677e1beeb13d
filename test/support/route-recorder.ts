import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { RouteOptions } from 'fastify';

/** Every route Fastify registered in the app, as `onRoute` saw it (HEAD routes included). */
export const RECORDED_ROUTES = Symbol('RECORDED_ROUTES');

export interface RecordedRoute {
  method: string;
  url: string;
}

/**
 * Import it into a test app (`createTestApp(dynamo, {}, [RouteRecorderModule])`): its provider is built
 * while Nest creates the app, before `init()` registers any route, so Fastify tells it of every route
 * whoever adds it (Nest's router, plugins, hand-made routes).
 */
@Module({
  providers: [
    {
      provide: RECORDED_ROUTES,
      inject: [HttpAdapterHost],
      useFactory: ({ httpAdapter }: HttpAdapterHost): RecordedRoute[] => {
        const routes: RecordedRoute[] = [];
        httpAdapter.getInstance().addHook('onRoute', (route: RouteOptions) => {
          for (const method of [route.method].flat()) routes.push({ method, url: route.url });
        });
        return routes;
      },
    },
  ],
})
export class RouteRecorderModule {}

/** `GET /admin/users/{email}/history`: a route as the OpenAPI document writes it. */
export const routeKey = (method: string, url: string) =>
  `${method.toUpperCase()} ${url.replace(/:(\w+)/g, '{$1}')}`;

/**
 * The app's own routes: not the HEAD twin Fastify adds to each GET, not CORS's preflight catch-all,
 * not /docs itself (Swagger UI, its files and the document).
 */
export function apiRoutes(routes: RecordedRoute[]): string[] {
  return routes
    .filter(({ method, url }) => method !== 'HEAD' && method !== 'OPTIONS' && !/^\/docs(\/|$)/.test(url))
    .map(({ method, url }) => routeKey(method, url))
    .sort();
}

/** Every operation of an OpenAPI document, as `METHOD /path`. */
export function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => routeKey(method, path)))
    .sort();
}
