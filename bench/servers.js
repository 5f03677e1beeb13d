// Starts one benchmark server (bench/server.js) in a process of its own.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export async function startServer(kind, env = {}) {
  const child = spawn(process.execPath, ['bench/server.js', kind, JSON.stringify(env)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${kind} server exited with code ${code} before listening`);
  });
  const [line] = await Promise.race([once(createInterface({ input: child.stdout }), 'line'), exited]);
  const { port, token, basicToken, subscriberToken, apiKey } = JSON.parse(line);
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    basicToken,
    subscriberToken,
    apiKey,
    cpuMicros: async () => {
      child.send('cpu');
      const [{ user, system }] = await once(child, 'message');
      return user + system;
    },
    stop: () => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')),
  };
}
