import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from '../common/domain-error.js';
import { errorBody, httpCode } from '../common/http-error.filter.js';
import { SERVED_METHODS } from './http-server.options.js';

/**
 * Route config (`@RouteConfig({ [READS_OWN_MEDIA_TYPE]: true })`) of a route that checks the media type
 * of its body itself: the Stripe webhook, whose signed raw bytes answer 400 when they are not JSON.
 */
export const READS_OWN_MEDIA_TYPE = 'readsOwnMediaType';

/**
 * One hook, before any body is read: a method no route serves is 405; a body that is not
 * `application/json` is 415 REQUEST.UNSUPPORTED_MEDIA_TYPE (form and text bodies included), unless the
 * route reads its own. Unmatched paths are left to the 404.
 */
export function enforceRequestRules(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!SERVED_METHODS.includes(request.method)) {
      refuseMethod(reply);
      return;
    }
    const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
    const routed = request.routeOptions.url !== undefined;
    if (routed && !config?.[READS_OWN_MEDIA_TYPE] && hasBody(request) && !isJson(request)) {
      done(new UnsupportedMediaTypeError('Send the body as Content-Type: application/json.'));
      return;
    }
    done();
  });
}

function refuseMethod(reply: FastifyReply): void {
  reply
    .code(405)
    .header('allow', SERVED_METHODS.join(', '))
    .send(errorBody(405, httpCode(405), 'This server does not answer that method.'));
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isJson(request: FastifyRequest): boolean {
  const mediaType = request.headers['content-type']?.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json';
}
