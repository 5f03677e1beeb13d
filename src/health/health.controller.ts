import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/public.decorator.js';
import { Readiness, type ReadyAnswer } from './readiness.js';

@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  /** Liveness: the process answers. */
  @Get()
  live() {
    return { status: 'ok' };
  }

  /**
   * Readiness: DynamoDB answers for the users and ledger tables (or did less than READY_CACHE_MS ago);
   * 503 otherwise, and from the moment a shutdown starts.
   */
  @Get('ready')
  ready(): Promise<ReadyAnswer> {
    return this.readiness.check();
  }
}
