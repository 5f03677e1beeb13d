import { createApp } from 'packgate';
import { weatherApp } from './app.js';

const app = await createApp(weatherApp);
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`weather-api listening on ${await app.getUrl()}`);
