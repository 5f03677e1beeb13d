import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { MetricsListener } from './metrics-listener.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics, NoMetrics } from './metrics.js';

/**
 * {@link Metrics} for every module. With METRICS_TOKEN: Prometheus metrics of this app alone, served at
 * GET /metrics; with METRICS_PORT, served there instead ({@link MetricsListener}). With neither (the
 * default, in every mode): nothing is recorded and /metrics is a 404, so no deployment exposes its
 * traffic by forgetting a variable.
 */
@Global()
@Module({})
export class MetricsModule {
  /** `metrics`: the instance createApp already made for the HTTP layer, else one for `config`. */
  static forRoot(config: AppConfig, metrics?: Metrics): DynamicModule {
    const on = metrics ? metrics.enabled : config.metrics !== null;
    const provider = metrics
      ? { provide: Metrics, useValue: metrics }
      : { provide: Metrics, useFactory: () => metricsFor(config) };
    const ownPort = on && config.metrics?.listen != null;
    const onAppPort = on && !ownPort;
    return {
      module: MetricsModule,
      providers: [provider, ...(onAppPort ? [MetricsTokenGuard] : []), ...(ownPort ? [MetricsListener] : [])],
      controllers: onAppPort ? [MetricsController] : [],
      exports: [Metrics],
    };
  }
}

/**
 * Prometheus metrics of their own for one app when METRICS_TOKEN or METRICS_PORT is set; none otherwise, and then
 * prom-client is not even loaded (a cold start's worth of module code that would record nothing).
 */
export async function metricsFor(config: AppConfig): Promise<Metrics> {
  if (!config.metrics) return new NoMetrics();
  const { PrometheusMetrics } = await import('./prometheus-metrics.js');
  return new PrometheusMetrics();
}
