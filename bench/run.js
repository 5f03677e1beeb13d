// `npm run bench`: every measurement in one run, on this machine, so the ratios compare like with like.
// (a) bare Fastify route, (b) packgate public route, (c) authenticated route without a package
// requirement, (d) guarded route with warm caches, (e) guarded route with both caches off (every
// request verifies the JWT and reads DynamoDB Local), (f) the guarded route of (d) for a caller whose
// package comes from a subscription, whose end of access the cache honours. (a) and (b) answer the
// same JSON. Ratios are computed per interleaved round and reported as median (min–max).
//
// (g) is a guarded route (GET /content/basic) for a caller whose package has a limit (PACKAGE_LIMITS,
// one the load never reaches), every request counted. Every packgate server runs with that setting,
// so (d)'s pro caller passes the usage guard as a package without limits. (g) runs on the same server
// process as (b) and (d): a server's cost per request under this load depends on its own garbage
// collector's state (how much of the 500 requests in flight survives into the old generation), which
// differs from process to process by up to 1.6×, so a ratio is taken within one process.
// (k) is the route of (d) for the same caller authenticated by an API key (X-API-Key).
//
// (f) runs right after (d) and before (e): the caches-off run leaves DynamoDB Local busy for a while.
//
// packgate runs as in production, with access logs (LOG_LEVEL=info, written to /dev/null, fast
// successful reads sampled at the default ACCESS_LOG_SAMPLE) and metrics (METRICS_TOKEN) on; (b1) and
// (d1) are (b) and (d) with every request logged (ACCESS_LOG_SAMPLE=1), (b0) and (d0) with access logs
// and metrics off (ACCESS_LOG=off, no METRICS_TOKEN). Twins run one after the other in every round, so
// their ratios are what observability costs.
//
// Each server runs in its own process; the load generator shares the machine's cores with it. The
// machine is noisy, so throughput is measured in interleaved rounds and the median is reported, with
// pipelining so the server, not the load generator, is the bottleneck. Latency is measured apart,
// without pipelining, at BENCH_CONNECTIONS connections, in BENCH_LATENCY_ROUNDS (3) interleaved runs:
// its p50 and p99 are the medians of theirs (one run's p99 moves by a few ms from run to run here).
import autocannon from 'autocannon';
import { startServer } from './servers.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PIPELINING = Number(process.env.BENCH_PIPELINING ?? 10);
const WARMUP_S = 2;
const LATENCY_ROUNDS = Number(process.env.BENCH_LATENCY_ROUNDS ?? 3);

async function load(target, { pipelining, duration, warmUp = false }) {
  const headers = credentialHeaders(target);
  const url = target.server.url + target.path;
  const cpuBefore = await target.server.cpuMicros();
  const result = await autocannon({ url, headers, connections: CONNECTIONS, pipelining, duration });
  const cpuPerRequest = ((await target.server.cpuMicros()) - cpuBefore) / result.requests.total;
  if (result.non2xx > 0 || result.errors > 0) {
    const statuses = JSON.stringify(result.statusCodeStats);
    const problem = `${url}: ${result.non2xx} non-2xx answers (${statuses}) and ${result.errors} errors`;
    // Right after start-up, with every server's DynamoDB Local still starting on the same two cores, a
    // cache's first read can time out (503, fail closed): the warm-up says so; a measured run stops.
    if (!warmUp) throw new Error(problem);
    console.log(`warm-up of ${target.label}: ${problem}`);
  }
  return { ...result, cpuPerRequest };
}

function credentialHeaders({ authenticated, server }) {
  if (authenticated === 'api-key') return { 'x-api-key': server.apiKey };
  const token =
    { subscriber: server.subscriberToken, basic: server.basicToken }[authenticated] ?? server.token;
  return authenticated ? { authorization: `Bearer ${token}` } : {};
}

const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

// A limit the load never reaches: what counting every request costs (leases of up to 5 % of it).
const LIMITED = { PACKAGE_LIMITS: 'basic=1000000000/min' };
const OBSERVED = { ...LIMITED, ACCESS_LOG: 'on', METRICS_TOKEN: 'bench-metrics-token-0123456789' };
const UNOBSERVED = { ...LIMITED, ACCESS_LOG: 'off', METRICS_TOKEN: '' };

// BENCH_TARGETS=a,b,d runs a subset (ratios need both of their targets).
const only = process.env.BENCH_TARGETS?.split(',');

const servers = {
  bare: await startServer('bare'),
  nest: await startServer('nest'),
  warm: await startServer('packgate', OBSERVED),
  quiet: await startServer('packgate', UNOBSERVED),
  ...(only && !only.includes('b1') && !only.includes('d1')
    ? {}
    : { full: await startServer('packgate', { ...OBSERVED, ACCESS_LOG_SAMPLE: '1' }) }),
  cold: await startServer('packgate', {
    ...OBSERVED,
    ENTITLEMENT_CACHE_TTL_MS: '0',
    AUTH_TOKEN_CACHE_MAX: '0',
  }),
};
const targets = {
  a: { label: '(a) bare Fastify GET /health', server: servers.bare, path: '/health' },
  n: { label: '(n) bare NestJS GET /health (reference)', server: servers.nest, path: '/health' },
  b: { label: '(b) packgate public GET /health', server: servers.warm, path: '/health' },
  b1: { label: '(b1) = (b), every request logged', server: servers.full, path: '/health' },
  b0: { label: '(b0) = (b), access logs and metrics off', server: servers.quiet, path: '/health' },
  c: {
    label: '(c) authenticated GET /content/free',
    server: servers.warm,
    path: '/content/free',
    authenticated: true,
  },
  d: {
    label: '(d) guarded GET /content/pro, warm caches',
    server: servers.warm,
    path: '/content/pro',
    authenticated: true,
  },
  d1: {
    label: '(d1) = (d), every request logged',
    server: servers.full,
    path: '/content/pro',
    authenticated: true,
  },
  d0: {
    label: '(d0) = (d), access logs and metrics off',
    server: servers.quiet,
    path: '/content/pro',
    authenticated: true,
  },
  ...(servers.warm.subscriberToken
    ? {
        f: {
          label: '(f) guarded GET /content/pro, subscriber',
          server: servers.warm,
          path: '/content/pro',
          authenticated: 'subscriber',
        },
      }
    : {}),
  ...(servers.warm.apiKey
    ? {
        k: {
          label: '(k) guarded GET /content/pro, API key',
          server: servers.warm,
          path: '/content/pro',
          authenticated: 'api-key',
        },
      }
    : {}),
  g: {
    label: '(g) guarded GET /content/basic, package limit',
    server: servers.warm,
    path: '/content/basic',
    authenticated: 'basic',
  },
  e: {
    label: '(e) guarded GET /content/pro, caches off',
    server: servers.cold,
    path: '/content/pro',
    authenticated: true,
  },
};

if (only) for (const key of Object.keys(targets)) if (!only.includes(key)) delete targets[key];

console.log(
  `packgate bench, Node ${process.version}: throughput = median of ${ROUNDS} interleaved ${DURATION_S} s rounds at ` +
    `${CONNECTIONS} connections x ${PIPELINING} pipelined; latency = median of ${LATENCY_ROUNDS} interleaved ${DURATION_S} s runs at ${CONNECTIONS} connections\n`,
);
try {
  for (const target of Object.values(targets))
    await load(target, { pipelining: PIPELINING, duration: WARMUP_S, warmUp: true });
  const rps = Object.fromEntries(Object.keys(targets).map((key) => [key, []]));
  const cpu = Object.fromEntries(Object.keys(targets).map((key) => [key, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [key, target] of Object.entries(targets)) {
      const result = await load(target, { pipelining: PIPELINING, duration: DURATION_S });
      rps[key].push(result.requests.average);
      cpu[key].push(result.cpuPerRequest);
    }
  }
  const latencies = Object.fromEntries(Object.keys(targets).map((key) => [key, []]));
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    for (const [key, target] of Object.entries(targets)) {
      latencies[key].push((await load(target, { pipelining: 1, duration: DURATION_S })).latency);
    }
  }
  const results = {};
  for (const [key, target] of Object.entries(targets)) {
    const p50 = median(latencies[key].map((latency) => latency.p50));
    const p99 = median(latencies[key].map((latency) => latency.p99));
    results[key] = { rps: median(rps[key]), cpu: median(cpu[key]), p50, p99 };
    const { rps: r, cpu: c } = results[key];
    const figures = `${r.toFixed(0).padStart(7)} req/s ${c.toFixed(1).padStart(7)} µs CPU/req   p50 ${p50} ms   p99 ${p99} ms`;
    console.log(`${target.label.padEnd(44)} ${figures}`);
  }
  // Ratios of throughput as measured, and as the server's CPU cost per request predicts it
  // (capacity = 1 / CPU per request), which the machine's noise moves much less.
  // Each ratio per round (both figures from the same round), then its median and range.
  const spread = (values) =>
    `${median(values).toFixed(2)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
  const ratio = (x, y) => {
    const measured = rps[x].map((value, round) => value / rps[y][round]);
    const byCpu = cpu[y].map((value, round) => value / cpu[x][round]);
    return `${spread(measured)} measured, ${spread(byCpu)} by CPU/req`;
  };
  console.log(`\nratios, median (min–max) over ${ROUNDS} rounds:`);
  const lines = [
    ['b', 'a', '(target >= 0.85)'],
    ['d', 'b', '(target >= 0.80)'],
    ['f', 'd', '(subscriber vs one-time buyer; target >= 0.95)'],
    ['k', 'b', '(guarded route by API key; target >= 0.80)'],
    ['k', 'd', '(API key vs bearer token)'],
    ['g', 'b', '(guarded + counted against a package limit; target >= 0.75)'],
    ['e', 'b', ''],
    ['n', 'a', '(NestJS itself over bare Fastify, for reference)'],
    ['b', 'b0', '(public route: access logs and metrics on vs off)'],
    ['d', 'd0', '(guarded route: access logs and metrics on vs off)'],
    ['b', 'n', "(packgate's own share of the public route)"],
  ];
  for (const [x, y, note] of lines) {
    if (rps[x] && rps[y]) console.log(`${x}/${y} = ${ratio(x, y)}   ${note}`);
  }
  // What observability adds to the CPU of a request, per round (target: at most 25 %).
  for (const [on, off] of [
    ['b', 'b0'],
    ['b1', 'b0'],
    ['d', 'd0'],
    ['d1', 'd0'],
  ]) {
    if (!cpu[on] || !cpu[off]) continue;
    const added = cpu[on].map((value, round) => (value / cpu[off][round] - 1) * 100);
    const perRound = added.map((value) => value.toFixed(0)).join(' ');
    const µs = cpu[on].map((value, round) => value - cpu[off][round]);
    console.log(
      `${on} over ${off}: +${median(added).toFixed(1)} % CPU/req (${Math.min(...added).toFixed(1)}–${Math.max(...added).toFixed(1)}), ` +
        `+${median(µs).toFixed(1)} µs; per round: ${perRound}   (target <= 25 %)`,
    );
  }
  for (const key of ['d', 'k', 'g']) {
    if (results[key])
      console.log(`p99 of ${key} = ${results[key].p99} ms at ${CONNECTIONS} connections   (target <= 5 ms)`);
  }
} finally {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
}
