import { keyProblem } from '../data-rules.js';
import { compareStrings, MAX_PATH_SEGMENTS } from '../query/index.js';
import { fail } from './invalid-update.js';

/** A dotted path inside `data` as an update names it (`a.b.0.c`), split once into its segments. */
export interface UpdatePath {
  readonly text: string;
  readonly segments: readonly string[];
}

/**
 * Checks a path of an update and splits it. `at` names it in the error (`update.$set.a..b`). A segment must be
 * a valid data key (data-rules), since the update may create it. MongoDB's positional operators (`$`, `$[]`,
 * `$[<id>]`) address array elements found by the query or by array filters; this service has neither in an
 * update, so they are refused by name rather than as mere `$`-prefixed keys.
 */
export function parseUpdatePath(text: string, at: string): UpdatePath {
  if (text === '') fail(at, 'an empty update path is not valid');
  const segments = text.split('.');
  if (segments.length > MAX_PATH_SEGMENTS) {
    fail(at, `the update path '${text}' has more than ${MAX_PATH_SEGMENTS} segments`);
  }
  for (const segment of segments) {
    if (segment === '') fail(at, `the update path '${text}' contains an empty field name, which is not allowed`);
    if (segment === '$' || segment.startsWith('$[')) {
      const unsupported = 'positional operators ($, $[], $[<identifier>]) are not supported';
      fail(at, `the update path '${text}' uses the positional operator '${segment}': ${unsupported}`);
    }
    const problem = keyProblem(segment);
    if (problem) fail(at, `the update path '${text}' has the segment '${segment}': ${problem}`);
  }
  return { text, segments };
}

/**
 * Whether a segment addresses an element when it meets an array. MongoDB's update code reads any run of
 * digits as an index (leading zeros included); on an object the same segment is an ordinary field name.
 */
export function isArrayIndex(segment: string): boolean {
  return /^[0-9]+$/.test(segment);
}

/**
 * The order in which MongoDB (5.0 and later) applies the fields of an update: segment by segment, field names
 * in byte order, except that two numeric names compare as numbers (`cmpPathsAndArrayIndexes`). It decides the
 * order of fields an update creates in one object (`{$set: {b: 1, a: 1}}` on `{}` gives `{a: 1, b: 1}`).
 */
export function compareUpdatePaths(a: UpdatePath, b: UpdatePath): number {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const c = compareSegments(a.segments[i]!, b.segments[i]!);
    if (c !== 0) return c;
  }
  return a.segments.length - b.segments.length;
}

function compareSegments(a: string, b: string): number {
  if (isArrayIndex(a) && isArrayIndex(b) && a.length !== b.length) return a.length < b.length ? -1 : 1;
  return compareStrings(a, b);
}

/**
 * The paths an update has claimed so far. MongoDB refuses an update in which one path equals another or lies
 * inside it, across all operators (both ends of a `$rename` count): the result would depend on the order.
 */
export class PathClaims {
  private readonly root: ClaimNode = { claimed: false, children: new Map() };

  /** Records `path`, or throws MongoDB's ConflictingUpdateOperators error naming it at `at`. */
  claim(path: UpdatePath, at: string): void {
    const segments = path.segments;
    let node = this.root;
    for (let i = 0; i < segments.length; i++) {
      let child = node.children.get(segments[i]!);
      if (child === undefined) {
        child = { claimed: false, children: new Map() };
        node.children.set(segments[i]!, child);
      } else if (child.claimed || i === segments.length - 1) {
        const conflict = segments.slice(0, i + 1).join('.');
        fail(at, `Updating the path '${path.text}' would create a conflict at '${conflict}'`);
      }
      node = child;
    }
    node.claimed = true;
  }
}

interface ClaimNode {
  claimed: boolean;
  readonly children: Map<string, ClaimNode>;
}
