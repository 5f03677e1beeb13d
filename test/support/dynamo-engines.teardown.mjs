// Jest globalTeardown of the e2e project: stops the engines dynamo-engines.setup.mjs started.
export default async function stopEngines() {
  await Promise.all((globalThis.packgateTestEngines ?? []).map((engine) => engine.stop()));
}
