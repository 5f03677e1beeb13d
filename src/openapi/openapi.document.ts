import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { errorBodySchema } from '../common/error-body.js';
import { PACKAGE_INFO } from '../common/package-info.js';
import { packageRequiredBodySchema } from '../entitlements/package-required.error.js';
import { openApiSchema } from '../common/openapi-schema.js';
import { describeRoutes } from './route-access.js';

const DESCRIPTION = [
  'Sells API access by package. Call with `Authorization: Bearer <token>`; a route that needs a',
  'package you do not have answers 402 with where to buy it. Every error has one shape, `ErrorBody`.',
].join(' ');

/** The OpenAPI document of the running app: its routes, their zod schemas and what their guards do. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(PACKAGE_INFO.name)
    .setDescription(DESCRIPTION)
    .setVersion(PACKAGE_INFO.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ErrorBody: openApiSchema(errorBodySchema, 'output'),
      PackageRequired: openApiSchema(packageRequiredBodySchema, 'output'),
    },
  };
  describeRoutes(document, app);
  return document;
}
