import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * A zod schema as an OpenAPI 3.0 schema object: what a request must be (`input`, the default) or what
 * an answer is (`output`). Checks zod cannot express (refinements, custom types) stay out of it.
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  });
  return json as SchemaObject;
}
