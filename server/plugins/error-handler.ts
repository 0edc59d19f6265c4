import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError, httpStatusOf } from '../domain-errors.js';
import { describeValidation } from './validation-text.js';

export interface ErrorBody {
  statusCode: number;
  code: string;
  /** English */
  message: string;
  /** Vietnamese, for people */
  messageVi: string;
  [extra: string]: unknown;
}

const VI_BY_STATUS: Record<number, string> = {
  400: 'Dữ liệu gửi lên không hợp lệ',
  401: 'Cần đăng nhập',
  403: 'Không có quyền',
  404: 'Không tìm thấy',
  405: 'Phương thức không được hỗ trợ',
  409: 'Xung đột dữ liệu',
  413: 'Dữ liệu gửi lên quá lớn',
  415: 'Kiểu dữ liệu không được hỗ trợ',
  429: 'Quá nhiều yêu cầu, vui lòng thử lại sau',
};

/**
 * Errors the router raises before any route or hook runs (a malformed %-escape, a path parameter over
 * 100 characters): Fastify's default answer skips the error handler, has no Vietnamese message and
 * echoes the whole path back. Passed to Fastify as `frameworkErrors` (server/app.ts).
 */
export function frameworkErrorBody(err: { statusCode?: number; code?: string }): ErrorBody {
  const status = err.statusCode === 414 ? 414 : 400;
  const message = status === 414 ? 'a path parameter is too long' : 'the URL is not valid (bad %-escape)';
  return { statusCode: status, code: err.code ?? 'BAD_URL', message, messageVi: status === 414 ? 'Tham số trong đường dẫn quá dài' : 'Đường dẫn không hợp lệ' };
}

/**
 * One error handler: domain errors by class, schema validation to 400 with the failing field, the
 * framework's own 4xx (bad JSON, too large, wrong content type, rate limit, CSRF) passed through, and
 * every 5xx logged in full but answered with no internal detail.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError | DomainError | Error, request, reply) => {
      let body: ErrorBody;
      if (err instanceof DomainError) {
        const status = httpStatusOf(err);
        body = { statusCode: status, code: err.code, message: err.message, messageVi: err.messageVi, ...(err.details ?? {}) };
        if (status === 500) request.log.error({ err }, 'unmapped domain error');
      } else if ('validation' in err && err.validation) {
        const where = (err as FastifyError).validationContext ?? 'request';
        const detail = err.message.startsWith(where) ? err.message : `${where} ${err.message}`;
        // people read the field's name and what it needs; the validator's own text is for developers
        const { fields, message, messageVi } = describeValidation(err.validation, where);
        body = { statusCode: 400, code: 'VALIDATION', message, messageVi, fields, detail };
      } else {
        const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
        if (status >= 400 && status < 500) {
          const code = 'code' in err && typeof err.code === 'string' ? err.code : 'BAD_REQUEST';
          body = { statusCode: status, code, message: err.message, messageVi: VI_BY_STATUS[status] ?? VI_BY_STATUS[400]! };
        } else {
          request.log.error({ err }, 'request failed');
          body = { statusCode: 500, code: 'INTERNAL', message: 'Internal server error', messageVi: 'Lỗi máy chủ' };
        }
      }
      if (!reply.hasHeader('retry-after')) {
        if (typeof body.retryAfterSeconds === 'number') reply.header('retry-after', String(body.retryAfterSeconds));
        else if (body.statusCode === 429) reply.header('retry-after', '60');
      }
      return reply.status(body.statusCode).send(body);
    });

    app.setNotFoundHandler((request, reply) => {
      const body: ErrorBody = {
        statusCode: 404,
        code: 'NOT_FOUND',
        message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
        messageVi: VI_BY_STATUS[404]!,
      };
      return reply.status(404).send(body);
    });
  },
  { name: 'error-handler', fastify: '5.x' },
);
