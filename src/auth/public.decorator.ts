import { Reflector } from '@nestjs/core';

/** Marks a route (or a whole controller) as open to callers without a token. */
export const Public = Reflector.createDecorator<void, true>({ transform: () => true });
