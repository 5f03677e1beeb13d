import { ConfigService } from '@nestjs/config';
import { existsSync } from 'node:fs';
import { createApp } from './app.factory.js';
import type { AppConfig } from './config/app-config.js';

// Variables already in the environment win over .env.
if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const app = await createApp();
  const config = app.get<ConfigService<AppConfig, true>>(ConfigService);
  await app.listen({ port: config.get('port'), host: config.get('host') });
  console.log(`packgate listening on ${await app.getUrl()}`);
} catch (error) {
  // Start-up problems (bad configuration, no Java, a missing table) are the operator's to fix: one line.
  console.error(`packgate did not start: ${(error as Error).message}`);
  process.exit(1);
}
