import { Body, Query, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { InvalidRequestError } from './domain-error.js';

/** The body as `schema` reads it, or a 400 REQUEST.INVALID saying what to send and what was wrong. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, expected: string): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new InvalidRequestError(`Send ${expected} and nothing else.`, {
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
    });
  }
  return parsed.data;
}

/**
 * `@ValidBody(schema, '{ "package": "<name>" }')`: the handler gets the body as `schema` reads it, or
 * the caller a 400 REQUEST.INVALID. The schema rides on the parameter's metadata, where the OpenAPI
 * generator reads it: the document describes exactly what the route validates.
 */
export const ValidBody = (schema: z.ZodType, expected: string): ParameterDecorator =>
  Body({ schema, pipes: [new SchemaPipe(schema, expected)] });

/** `@ValidQuery(schema, 'query parameters …')`: as {@link ValidBody}, for the query string. */
export const ValidQuery = (schema: z.ZodType, expected: string): ParameterDecorator =>
  Query({ schema, pipes: [new SchemaPipe(schema, expected)] });

class SchemaPipe implements PipeTransform {
  constructor(
    private readonly schema: z.ZodType,
    private readonly expected: string,
  ) {}

  transform(value: unknown): unknown {
    return parseBody(this.schema, value, this.expected);
  }
}
