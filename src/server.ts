import { ConfigService } from '@nestjs/config';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { leaseLocalEngineEarly } from './dynamo/shared-local-engine.js';

/**
 * `packgate start` / `npm start`: createApp(), listen. Start-up problems (bad configuration, no Java,
 * a missing table) are the operator's to fix, so they end the process with one line.
 */
export async function startServer(): Promise<void> {
  try {
    const { endpoint } = loadConfig(process.env).dynamo;
    if (endpoint.kind === 'local') leaseLocalEngineEarly(endpoint.dataDir, endpoint.port);
    // Loaded only now, so that DynamoDB Local's JVM boots while Nest, Fastify and the SDKs load.
    const { createApp } = await import('./app.factory.js');
    const app = await createApp();
    const config = app.get<ConfigService<AppConfig, true>>(ConfigService);
    await app.listen({ port: config.get('port'), host: config.get('host') });
    console.log(`packgate listening on ${await app.getUrl()}`);
  } catch (error) {
    console.error(`packgate did not start: ${(error as Error).message}`);
    process.exit(1);
  }
}
