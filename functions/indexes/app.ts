import { createIndex, dropIndex, listIndexes } from '../../shared/application/manage-indexes.js';
import type { RegisterRoutes } from '../../shared/runtime/http/function-app.js';
import { JSON_MEDIA_TYPE, readJsonBody } from '../../shared/runtime/http/request-body.js';
import { INDEX_PATH, INDEXES_PATH } from '../../shared/runtime/http/routes.js';
import { indexBody, parseInput } from '../../shared/runtime/http/schemas.js';
import { tracedUseCase } from '../../shared/runtime/observability/spans.js';

const tracedCreateIndex = tracedUseCase('createIndex', createIndex);
const tracedListIndexes = tracedUseCase('listIndexes', listIndexes);
const tracedDropIndex = tracedUseCase('dropIndex', dropIndex);

/**
 * A collection's secondary indexes: `PUT …/indexes/{name}` creates one (201, or 200 when the same definition
 * exists), `GET …/indexes` lists them, `DELETE …/indexes/{name}` drops one (204).
 */
export const registerIndexes: RegisterRoutes = (app, { deps, config }) => {
  app.put(INDEX_PATH, async (c) => {
    const body = await readJsonBody(c, { mediaType: JSON_MEDIA_TYPE, maxBytes: config.MAX_BODY_BYTES });
    const { created, index } = await tracedCreateIndex(deps, {
      collection: c.req.param('collection'),
      name: c.req.param('name'),
      body: parseInput(indexBody, body.value, 'body'),
    });
    return c.json(index, created ? 201 : 200);
  });

  app.get(INDEXES_PATH, async (c) => c.json(await tracedListIndexes(deps, { collection: c.req.param('collection') })));

  app.delete(INDEX_PATH, async (c) => {
    await tracedDropIndex(deps, { collection: c.req.param('collection'), name: c.req.param('name') });
    return c.body(null, 204);
  });
};
