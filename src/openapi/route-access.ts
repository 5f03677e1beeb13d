import type { INestApplication, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import type { OpenAPIObject, OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger';
import { StaffGuard } from '../admin/staff.guard.js';
import { Public } from '../auth/public.decorator.js';
import { RequiresPackage } from '../entitlements/requires-package.decorator.js';
import { OpenApiOperation } from './openapi-operation.decorator.js';

const ERROR = { $ref: '#/components/schemas/ErrorBody' };
const PACKAGE_REQUIRED = { $ref: '#/components/schemas/PackageRequired' };
const json = (description: string, schema: object): ResponseObject => ({
  description,
  content: { 'application/json': { schema } },
});

interface Route {
  controller: Type;
  handler: (...args: unknown[]) => unknown;
}

/**
 * Completes each operation from the route's metadata: its `@OpenApiOperation`, then what the guards
 * do, read from the same metadata the guards read: the bearer requirement (or none, for `@Public()`),
 * 401, 402 for `@RequiresPackage`, 403 for staff routes, 400 for routes that validate input, and the
 * error shape for anything else.
 */
export function describeRoutes(document: OpenAPIObject, app: INestApplication): void {
  const routes = routesByOperationId(app);
  const reflector = app.get(Reflector);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as Array<[string, OperationObject]>) {
      const route = routes.get(operation.operationId ?? '');
      if (!route) throw new Error(`OpenAPI: no handler for ${method.toUpperCase()} ${path}`);
      const targets = [route.handler, route.controller];
      mergeOperation(operation, reflector.get(OpenApiOperation, route.controller));
      mergeOperation(operation, reflector.get(OpenApiOperation, route.handler));
      const responses = operation.responses;
      if (reflector.getAllAndOverride(Public, targets)) {
        operation.security = [];
      } else {
        responses['401'] = json('No valid bearer token (`WWW-Authenticate: Bearer`).', ERROR);
      }
      if (reflector.getAllAndOverride(RequiresPackage, targets)) {
        responses['402'] = json(
          "The caller's package is below the route's: buy or mend it.",
          PACKAGE_REQUIRED,
        );
      }
      if (targets.some((target) => guardsOf(target).includes(StaffGuard))) {
        responses['403'] = json('Staff only (ADMIN_EMAILS).', ERROR);
      }
      if (operation.requestBody || operation.parameters?.length) {
        const described = (responses['400'] as ResponseObject | undefined)?.description;
        responses['400'] = json(described || 'The request does not have the documented shape.', ERROR);
      }
      responses.default = json('Any other error, in the same shape.', ERROR);
      for (const [status, response] of Object.entries(responses) as Array<[string, ResponseObject]>) {
        response.description ||= STATUS_CODES[status] ?? status; // @nestjs/swagger leaves 2xx blank
      }
    }
  }
}

function mergeOperation(operation: OperationObject, extra: Partial<OperationObject> | undefined): void {
  if (!extra) return;
  const { parameters = [], responses = {}, ...rest } = extra;
  const replaced = (existing: ParameterObject) =>
    parameters.some(
      (parameter) => 'name' in parameter && parameter.name === existing.name && parameter.in === existing.in,
    );
  Object.assign(operation, rest);
  operation.parameters = [
    ...((operation.parameters ?? []) as ParameterObject[]).filter((existing) => !replaced(existing)),
    ...parameters,
  ];
  operation.responses = { ...operation.responses, ...responses };
}

// @nestjs/swagger names an operation `<Controller>_<method>`.
function routesByOperationId(app: INestApplication): Map<string, Route> {
  const routes = new Map<string, Route>();
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        routes.set(`${controller.name}_${name}`, { controller, handler });
      }
    }
  }
  return routes;
}

function guardsOf(target: object): unknown[] {
  return Reflect.getMetadata(GUARDS_METADATA, target) ?? [];
}
