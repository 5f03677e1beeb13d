import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DependencyUnavailableError } from '../common/domain-error.js';
import type { AppConfig } from '../config/app-config.js';
import { DynamoHealth } from '../dynamo/dynamo-health.js';

export type ReadyAnswer =
  | { status: 'ready'; checks: { dynamodb: 'up' } }
  | { status: 'ready'; checks: { dynamodb: 'unanswered' }; lastAnsweredMsAgo: number };

/**
 * Whether this instance should get traffic. A failed check is forgiven while DynamoDB last answered
 * less than READY_CACHE_MS ago: a blip shared by every instance would otherwise take them all out of
 * the load balancer at once, leaving nothing to serve when DynamoDB is back a second later.
 */
@Injectable()
export class Readiness {
  private readonly cacheMs: number;
  private lastAnsweredAt = Number.NEGATIVE_INFINITY;
  /** Probes arriving together share one check instead of each asking DynamoDB. */
  private running: Promise<void> | null = null;

  constructor(
    private readonly dynamo: DynamoHealth,
    config: ConfigService<AppConfig, true>,
  ) {
    this.cacheMs = config.get('readyCacheMs', { infer: true });
  }

  /** Ready, or throws DependencyUnavailableError once DynamoDB has been silent longer than the cache. */
  async check(): Promise<ReadyAnswer> {
    try {
      await this.sharedCheck();
      this.lastAnsweredAt = Date.now();
      return { status: 'ready', checks: { dynamodb: 'up' } };
    } catch (error) {
      const silentMs = Date.now() - this.lastAnsweredAt;
      if (silentMs < this.cacheMs) {
        return { status: 'ready', checks: { dynamodb: 'unanswered' }, lastAnsweredMsAgo: silentMs };
      }
      throw new DependencyUnavailableError('DynamoDB is not answering.', {}, { cause: error });
    }
  }

  private sharedCheck(): Promise<void> {
    this.running ??= this.dynamo.check().finally(() => (this.running = null));
    return this.running;
  }
}
