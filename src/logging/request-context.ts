import { AsyncLocalStorage } from 'node:async_hooks';

/** The request a piece of work runs for: log lines written during it name its id. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Whether requests run in {@link requestContext}: from Node 24, where AsyncLocalStorage rides V8's
 * AsyncContextFrame and costs nothing measurable. On Node 20 it hooks every promise (20 % or more CPU
 * per guarded request under the bench's load), so there only the access and error lines name the request.
 */
export const TRACKS_REQUEST_CONTEXT = Number(process.versions.node.split('.')[0]) >= 24;
