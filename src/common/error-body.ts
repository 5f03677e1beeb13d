import { z } from 'zod';

/**
 * Every error answer: `{ statusCode, error, code, message, ...details }`. The filter builds it and the
 * OpenAPI document describes it from this one schema.
 */
export const errorBodySchema = z
  .object({
    statusCode: z.number().int().min(400).max(599).meta({ description: 'The HTTP status, repeated.' }),
    error: z.string().meta({ description: "The status's reason phrase.", example: 'Bad Request' }),
    code: z.string().meta({ description: 'Dotted, stable: what to act on.', example: 'REQUEST.INVALID' }),
    message: z.string().meta({ description: 'A sentence for a person: what to do.' }),
  })
  .catchall(z.unknown())
  .meta({ description: 'Details that help fix the request (`issues`, `fields`…) ride beside the four.' });

export type ErrorBody = z.infer<typeof errorBodySchema>;
