import type { ReasonCode } from '../rules/reasons.js';

/** A code that cannot be accepted, with the reason code the decision will carry. */
export class CodeError extends Error {
  constructor(readonly reason: ReasonCode, message: string) {
    super(message);
    this.name = 'CodeError';
  }
}
