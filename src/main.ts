import { existsSync } from 'node:fs';
import { startServer } from './server.js';

// Variables already in the environment win over .env.
if (existsSync('.env')) process.loadEnvFile('.env');

await startServer();
