// The Lambda bundle's entry (tools/build-lambda.mjs). esbuild's code splitting does not keep the order
// of side effects across chunks, and tsc's decorator helpers skip their metadata silently when
// `Reflect.metadata` is missing: reflect-metadata is installed here, before the app's chunks load.
import 'reflect-metadata';

export const { handler } = await import('../dist/lambda.js');
