import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics, NoMetrics } from './metrics.js';
import { PrometheusMetrics } from './prometheus-metrics.js';

/**
 * {@link Metrics} for every module. With METRICS_TOKEN: Prometheus metrics of this app alone, served at
 * GET /metrics. Without it (the default, in every mode): nothing is recorded and /metrics is a 404, so
 * no deployment exposes its traffic by forgetting a variable.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const on = config.metrics !== null;
    return {
      module: MetricsModule,
      providers: [
        { provide: Metrics, useFactory: () => (on ? new PrometheusMetrics() : new NoMetrics()) },
        ...(on ? [MetricsTokenGuard] : []),
      ],
      controllers: on ? [MetricsController] : [],
      exports: [Metrics],
    };
  }
}
