import { z } from 'zod';

export const ErrorCode = z
  .enum(['validation', 'auth', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'server'])
  .meta({ id: 'ErrorCode' });
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldError = z
  .object({
    /** Dotted path of the offending field, e.g. `query.limit` or `body.email`. */
    path: z.string(),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });
export type FieldError = z.infer<typeof FieldError>;

/** Body of every 4xx/5xx response. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      fields: z.array(FieldError).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;
