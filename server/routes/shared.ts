import { ErrorBody } from '../../src/contract/index.js';
import type { z } from 'zod';

/** The OpenAPI description of a JSON response. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const error = (description: string) => json(ErrorBody, description);

/** Error responses every authenticated operation may give. */
export const errorResponses = {
  400: error('Invalid request: `error.fields` names each offending field'),
  401: error('Missing, invalid or expired bearer token'),
  403: error('Not allowed for this user'),
  404: error('Not found (or not visible to this user)'),
  500: error('Server error'),
} as const;

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
