/**
 * Domain errors: services throw these (never HTTP errors); the error handler alone maps them to HTTP
 * statuses (by class, so a subclass may carry a more specific stable `code`). `messageVi` is the Vietnamese text shown to people, `message` the English.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly messageVi: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(message: string, messageVi?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.messageVi = messageVi ?? message;
    this.details = details;
  }
}

export class ValidationError extends DomainError {
  readonly code: string = 'VALIDATION';
}
export class UnauthorizedError extends DomainError {
  readonly code: string = 'UNAUTHORIZED';
}
export class ForbiddenError extends DomainError {
  readonly code: string = 'FORBIDDEN';
}
export class NotFoundError extends DomainError {
  readonly code: string = 'NOT_FOUND';
}
export class ConflictError extends DomainError {
  readonly code: string = 'CONFLICT';
}
/** Well-formed input that cannot be applied as a whole, e.g. an import with bad rows (nothing imported). */
export class UnprocessableError extends DomainError {
  readonly code: string = 'UNPROCESSABLE';
}
/** A feed cursor older than the retained changes: the station must take a new snapshot. */
export class GoneError extends DomainError {
  readonly code: string = 'GONE';
}

/** Too many attempts (failed sign-ins); `details.retryAfterSeconds` says when to try again. */
export class TooManyAttemptsError extends DomainError {
  readonly code: string = 'TOO_MANY_ATTEMPTS';
}

/**
 * The service is saturated and refuses new work for now, which costs the caller nothing to retry;
 * `details.retryAfterSeconds` says when (sent as Retry-After too).
 */
export class ServiceBusyError extends DomainError {
  readonly code: string = 'BUSY';
}

/** HTTP status per error class; a subclass (e.g. one with a more specific code) inherits its parent's status. */
export function httpStatusOf(err: DomainError): number {
  if (err instanceof ValidationError) return 400;
  if (err instanceof UnauthorizedError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof GoneError) return 410;
  if (err instanceof UnprocessableError) return 422;
  if (err instanceof TooManyAttemptsError) return 429;
  if (err instanceof ServiceBusyError) return 503;
  return 500;
}
