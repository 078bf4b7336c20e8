import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

type ErrorCode =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'full'
  | 'csrf'
  | 'locked'
  | 'rate_limited'
  | 'payload_too_large'
  | (string & {});

export type Issue = { path: string; message: string; line?: number; column?: string };

/** An error meant for the user: rendered as the JSON error shape on /api, as a page elsewhere. */
export class AppError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
    readonly details?: Record<string, unknown>,
  ) {
    super(status, { message });
  }
}

export const badRequest = (message: string, issues?: Issue[]) => new AppError(400, 'invalid', message, issues);
export const notFound = (what = 'Not found') => new AppError(404, 'not_found', what);
export const forbidden = (message = 'You do not have access to this.') => new AppError(403, 'forbidden', message);
export const conflict = (code: ErrorCode, message: string, details?: Record<string, unknown>) => new AppError(409, code, message, undefined, details);
