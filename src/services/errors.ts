/** An error whose message is safe to show the person or system that caused it (no personal data). */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 423 | 429,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    // A 400 always says what was wrong where: when no field is to blame, the body as a whole is.
    if (status === 400 && Object.keys(fields).length === 0) this.fields = { body: message }
  }
}

export const notFound = () => new AppError(404, 'not_found', 'Page not found')

export function invalid(fields: Record<string, string>, message = 'There is a problem with what was sent'): AppError {
  return new AppError(400, 'invalid_input', message, fields)
}
