import type { JsonObject, JsonValue } from '../document.js';
import { cachedPath, isObjectValue } from './paths.js';
import { fail, pathProblem } from './validation.js';

/** Projection of `data` fields, as MongoDB's inclusion projection. */

/** Most projected fields. */
export const MAX_FIELDS = 256;

/**
 * A list of dotted data paths, or undefined for the whole of data: also for an empty list, as MongoDB reads an
 * empty projection (`{}`) and as gRPC, whose empty `fields` cannot be told from none, must. Throws
 * InvalidInputError on bad paths.
 */
export function validateFields(raw: unknown): readonly string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) fail('fields', 'must be an array of field paths');
  if (raw.length === 0) return undefined;
  if (raw.length > MAX_FIELDS) fail('fields', `at most ${MAX_FIELDS} fields`);
  const fields: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const field: unknown = raw[i];
    const at = `fields[${i}]`;
    if (typeof field !== 'string') fail(at, 'must be a string');
    const problem = pathProblem(field);
    if (problem) fail(at, problem);
    if (!fields.includes(field)) fields.push(field);
  }
  // MongoDB refuses a projection that names both a path and a path inside it ("path collision").
  for (const a of fields) {
    for (const b of fields) {
      if (b.startsWith(`${a}.`)) fail('fields', `path collision: '${b}' is inside '${a}'`);
    }
  }
  return fields;
}

/** A projection tree: `true` includes the whole value; a map projects inside it. */
type ProjectionNode = Map<string, ProjectionNode | true>;

const projectionTrees = new WeakMap<readonly string[], ProjectionNode>();

function projectionTree(fields: readonly string[]): ProjectionNode {
  let tree = projectionTrees.get(fields);
  if (tree !== undefined) return tree;
  tree = new Map();
  for (const field of fields) {
    const parts = cachedPath(field).parts;
    let node: ProjectionNode = tree;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const existing = node.get(part);
      if (existing === true) break; // an enclosing path is already included whole
      if (i === parts.length - 1) {
        node.set(part, true);
        break;
      }
      let child = existing;
      if (child === undefined) {
        child = new Map();
        node.set(part, child);
      }
      node = child;
    }
  }
  projectionTrees.set(fields, tree);
  return tree;
}

function projectObject(object: JsonObject, node: ProjectionNode): JsonObject {
  const out: JsonObject = {};
  // Output keeps the document's field order, as MongoDB's inclusion projection does.
  for (const key of Object.keys(object)) {
    const child = node.get(key);
    if (child === undefined) continue;
    const value = object[key]!;
    if (child === true) {
      out[key] = value;
    } else {
      const projected = projectValue(value, child);
      if (projected !== undefined) out[key] = projected;
    }
  }
  return out;
}

function projectValue(value: JsonValue, node: ProjectionNode): JsonValue | undefined {
  if (isObjectValue(value)) return projectObject(value, node);
  if (Array.isArray(value)) {
    // Each element is projected; scalars have no subfields and are dropped; nested arrays recurse.
    const out: JsonValue[] = [];
    for (const element of value) {
      const projected = projectValue(element, node);
      if (projected !== undefined) out.push(projected);
    }
    return out;
  }
  return undefined;
}

/**
 * Projection of data fields (dotted paths), as MongoDB's inclusion projection on `data`: subdocuments keep
 * only the named fields (an object without them stays as `{}`), arrays project each element and drop
 * scalars, a path through a scalar or a missing field is omitted. An empty list projects to `{}`.
 */
export function projectData(data: JsonObject, fields: readonly string[]): JsonObject {
  return projectObject(data, projectionTree(fields));
}
