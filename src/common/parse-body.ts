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
