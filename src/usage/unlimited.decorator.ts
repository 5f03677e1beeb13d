import { Reflector } from '@nestjs/core';

/** `@Unlimited()` on a handler or controller: its requests count against no PACKAGE_LIMITS limit. */
export const Unlimited = Reflector.createDecorator<void, true>({ transform: () => true });
