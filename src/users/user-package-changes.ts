import { Injectable } from '@nestjs/common';
import type { User } from './user.js';

type Listener = (user: User) => void;

/**
 * In-process notice of every committed package change, published by the repository after
 * setUserPackage succeeds, so caches on this instance see an upgrade at once.
 */
@Injectable()
export class UserPackageChanges {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(user: User): void {
    for (const listener of this.listeners) listener(user);
  }
}
