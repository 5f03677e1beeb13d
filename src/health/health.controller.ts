import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/public.decorator.js';
import { DependencyUnavailableError } from '../common/domain-error.js';
import { DynamoHealth } from '../dynamo/dynamo-health.js';

@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly dynamo: DynamoHealth) {}

  /** Liveness: the process answers. */
  @Get()
  live() {
    return { status: 'ok' };
  }

  /** Readiness: DynamoDB answers for the users table; 503 otherwise. */
  @Get('ready')
  async ready() {
    try {
      await this.dynamo.check();
    } catch (error) {
      throw new DependencyUnavailableError('DynamoDB is not answering.', {}, { cause: error });
    }
    return { status: 'ready', checks: { dynamodb: 'up' } };
  }
}
