import { z } from 'zod';

/** Every 4xx/5xx answer carries a message that says what is wrong and where. */
export const ApiError = z.object({
  error: z.string(),
  /** The offending field or file, when there is one. */
  field: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** Turns a zod failure into one readable sentence naming the field. */
export function describeZodError(error: z.ZodError): ApiError {
  const first = error.issues[0];
  const field = first?.path.join('.') || undefined;
  return { error: field ? `${field}: ${first.message}` : (first?.message ?? 'invalid request'), field };
}
