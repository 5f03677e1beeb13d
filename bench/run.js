// `npm run bench`: every measurement in one run, on this machine, so the ratios compare like with like.
// (a) bare Fastify route, (b) packgate public route, (c) authenticated route without a package
// requirement, (d) guarded route with warm caches, (e) guarded route with both caches off (every
// request verifies the JWT and reads DynamoDB Local). Same JSON body for (a) and (b).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_S = 2;

async function startServer(kind, env = {}) {
  const child = spawn(process.execPath, ['bench/server.js', kind, JSON.stringify(env)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${kind} server exited with code ${code} before listening`);
  });
  const [line] = await Promise.race([once(createInterface({ input: child.stdout }), 'line'), exited]);
  const { port, token } = JSON.parse(line);
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stop: () => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')),
  };
}

async function load(url, headers, duration) {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function measure(label, server, path, authenticated) {
  const headers = authenticated ? { authorization: `Bearer ${server.token}` } : {};
  await load(server.url + path, headers, WARMUP_S);
  const figures = await load(server.url + path, headers, DURATION_S);
  console.log(
    `${label.padEnd(46)} ${figures.rps.toFixed(0).padStart(8)} req/s   p50 ${String(figures.p50).padStart(3)} ms   p99 ${String(figures.p99).padStart(3)} ms`,
  );
  return figures;
}

console.log(
  `packgate bench: ${CONNECTIONS} connections, ${DURATION_S} s per route after ${WARMUP_S} s warm-up, Node ${process.version}\n`,
);
const results = {};

const bare = await startServer('bare');
results.a = await measure('(a) bare Fastify GET /health', bare, '/health', false);
await bare.stop();

const warm = await startServer('packgate');
results.b = await measure('(b) packgate public GET /health', warm, '/health', false);
results.c = await measure('(c) authenticated GET /content/free', warm, '/content/free', true);
results.d = await measure('(d) guarded GET /content/pro, warm caches', warm, '/content/pro', true);
await warm.stop();

const cold = await startServer('packgate', { ENTITLEMENT_CACHE_TTL_MS: '0', AUTH_TOKEN_CACHE_MAX: '0' });
results.e = await measure('(e) guarded GET /content/pro, caches off', cold, '/content/pro', true);
await cold.stop();

const ratio = (x, y) => (results[x].rps / results[y].rps).toFixed(2);
console.log(`\nb/a = ${ratio('b', 'a')}   (target >= 0.85)`);
console.log(`d/b = ${ratio('d', 'b')}   (target >= 0.80)`);
console.log(`e/b = ${ratio('e', 'b')}`);
console.log(`p99 of d = ${results.d.p99} ms   (target <= 5 ms)`);
