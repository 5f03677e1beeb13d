import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { CreateAppOptions } from 'packgate';
import { WeatherModule } from './weather.module.js';

/** How this app assembles packgate: its module, and every route under /api. */
export const weatherApp = {
  imports: [WeatherModule],
  configure: (app: NestFastifyApplication) => {
    app.setGlobalPrefix('api');
  },
} satisfies CreateAppOptions;
