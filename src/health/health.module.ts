import { Module } from '@nestjs/common';
import { DynamoModule } from '../dynamo/dynamo.module.js';
import { HealthController } from './health.controller.js';

@Module({ imports: [DynamoModule], controllers: [HealthController] })
export class HealthModule {}
