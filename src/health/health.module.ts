import { Module } from '@nestjs/common';
import { DynamoModule } from '../dynamo/dynamo.module.js';
import { HealthController } from './health.controller.js';
import { Readiness } from './readiness.js';

@Module({ imports: [DynamoModule], controllers: [HealthController], providers: [Readiness] })
export class HealthModule {}
