import { describe, expect, it } from 'vitest';
import { OPENAPI_PATH, openApiDocument } from '../contract/openapi';
import { JiraApiVersionSchema, OPERATIONS } from '../contract/rest-api';
import { createTestBackend } from './test/harness';

/** "METHOD /path/:param" of every operation the document lists for the backend (not the server's own). */
function documentedRoutes(): string[] {
  return OPERATIONS.filter((op) => op.only !== 'server').flatMap((op) =>
    JiraApiVersionSchema.options
      .map((version) => op.path.replace('{apiVersion}', version))
      .filter((path, i, all) => all.indexOf(path) === i)
      .map((path) => `${op.method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
}

describe('the OpenAPI document', () => {
  it('lists exactly the routes the backend has (the demo routes included)', () => {
    const { app } = createTestBackend();
    const routes = app.routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => `${route.method} ${route.path}`);
    expect([...new Set(routes)].sort()).toEqual(documentedRoutes().sort());
  });

  it('is served by the backend, as generated from the contract', async () => {
    const response = await createTestBackend({ as: null }).app.request(OPENAPI_PATH);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('names every operation once and describes every answer', () => {
    const document = openApiDocument();
    const operations = Object.values(document.paths).flatMap((path) => Object.values(path));
    expect(operations).toHaveLength(OPERATIONS.length);
    expect(new Set(operations.map((op) => op.operationId)).size).toBe(operations.length);
    for (const op of operations) {
      expect(Object.keys(op.responses), op.operationId).toEqual(
        expect.arrayContaining(['401', '403', '429']),
      );
    }
  });
});
