import type { Plugin } from 'vite';

/** Where both hosts serve the OpenAPI document (contract/openapi.ts's OPENAPI_PATH). */
const OPENAPI_PATH = '/rest/api-token-auth/1.0/openapi.json';

/**
 * The demo's OpenAPI document at the address the real server serves it. The demo's backend answers
 * the console's requests for it (behind Mock Service Worker), but a link the user opens is a page
 * navigation, which the service worker lets through to the web server: the dev server answers it here,
 * generated from the contract as the backend does (`npm run build:demo` writes it beside the build,
 * with scripts/openapi.ts). Loaded per request, so that the contract is no import of the config.
 */
export function demoOpenApiDocument(): Plugin {
  return {
    name: 'atc-demo-openapi',
    apply: (_config, { command, mode }) => command === 'serve' && mode === 'demo',
    configureServer(server) {
      server.middlewares.use(OPENAPI_PATH, (_request, response, next) => {
        server
          .ssrLoadModule('/contract/openapi.ts')
          .then(({ openApiDocument }) => {
            response.setHeader('content-type', 'application/json');
            response.end(JSON.stringify((openApiDocument as () => unknown)()));
          })
          .catch(next);
      });
    },
  };
}
