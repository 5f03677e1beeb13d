import { Reflector } from '@nestjs/core';
import type { OperationObject } from '@nestjs/swagger';

/**
 * `@OpenApiOperation({ … })` on a handler or a controller: what the OpenAPI document cannot learn from
 * the route itself (a raw body's schema, an HTML answer). Merged into the operation, handler over
 * controller. Plain metadata: @nestjs/swagger is loaded only when the document is first asked for.
 */
export const OpenApiOperation = Reflector.createDecorator<Partial<OperationObject>>();
