// An esbuild plugin that leaves out of the Lambda bundle two modules that only cost start-up time:
//
// - The MCP SDK's Ajv validator. `Server` imports it (through the package's `_shims` entry) to build a
//   default JSON Schema validator, used for elicitation, which a stateless server does not do; our server
//   factory always passes its own, so Ajv would be parsed at every cold start and never run.
// - zod's message translations. `zod` re-exports every language (`z.locales`, about 60% of zod's code)
//   and configures English, the only one used.
//
// What they cost was measured when they were added (bench/REPORT.md); `npm run bench` shows the bundle without them.
const SERVER_SHIMS = /@modelcontextprotocol[/\\]server[/\\]dist[/\\]shimsNode\.mjs$/;
const ZOD_LOCALES = /zod[/\\]v4[/\\]locales[/\\]index\.js$/;

export function coldPathStubs() {
  return {
    name: 'cold-path-stubs',
    setup(build) {
      build.onLoad({ filter: SERVER_SHIMS }, () => ({
        contents:
          'export class DefaultJsonSchemaValidator { constructor() { throw new Error("Ajv was left out of this ' +
          'bundle: pass jsonSchemaValidator to Server"); } }\n' +
          'export { default as process } from "node:process";',
        loader: 'js',
      }));
      build.onLoad({ filter: ZOD_LOCALES }, () => ({
        contents: 'export { default as en } from "./en.js";',
        loader: 'js',
      }));
    },
  };
}
