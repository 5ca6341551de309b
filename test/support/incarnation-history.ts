/**
 * Checks a history of acknowledged answers from racing clients that create, merge-patch and delete a few ids.
 * Every create writes `data.born` (a token naming that incarnation); every patch adds one key of its own.
 * An acknowledged document is a promise to its client, so the history breaks the contract when:
 * - two acknowledged answers show the same id at the same version with different content (a version reused);
 * - an answer shows an incarnation at a version outside its own span (a change landed on another incarnation);
 * - an answer, or the final state, lacks a key that an earlier acknowledged patch of the same incarnation added
 *   (an acknowledged write lost).
 */

export interface AckedDocument {
  readonly op: 'create' | 'patch' | 'final';
  readonly id: string;
  readonly version: number;
  readonly createdAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The keys patches add; everything but `born`. */
const patchKeys = (document: AckedDocument): string[] => Object.keys(document.data).filter((key) => key !== 'born');

export function historyViolations(acked: readonly AckedDocument[]): string[] {
  const violations: string[] = [];
  const describe = (d: AckedDocument) => `${d.op} of '${d.id}' at version ${d.version} (born ${String(d.data.born)})`;

  const byVersion = new Map<string, AckedDocument>();
  for (const document of acked) {
    const key = `${document.id}@${document.version}`;
    const seen = byVersion.get(key);
    if (seen && (seen.createdAt !== document.createdAt || seen.data.born !== document.data.born)) {
      violations.push(`version reused: ${describe(seen)} and ${describe(document)}`);
    }
    byVersion.set(key, document);
  }

  // Each incarnation spans the versions from its create up to (not including) the next create of its id.
  const creates = acked.filter((d) => d.op === 'create').sort((a, b) => a.version - b.version);
  const span = new Map<string, { from: number; until: number }>();
  creates.forEach((create, i) => {
    const next = creates.slice(i + 1).find((later) => later.id === create.id);
    span.set(`${create.id}/${String(create.data.born)}`, { from: create.version, until: next?.version ?? Infinity });
  });

  const incarnations = new Map<string, AckedDocument[]>();
  for (const document of acked) {
    const incarnation = `${document.id}/${String(document.data.born)}`;
    const within = span.get(incarnation);
    if (within && (document.version < within.from || document.version >= within.until)) {
      violations.push(`${describe(document)} lies outside its incarnation's versions ${within.from}..${within.until - 1}`);
    }
    incarnations.set(incarnation, [...(incarnations.get(incarnation) ?? []), document]);
  }

  for (const documents of incarnations.values()) {
    const ordered = [...documents].sort((a, b) => a.version - b.version || (a.op === 'final' ? 1 : -1));
    const promised = new Set<string>();
    for (const document of ordered) {
      const present = new Set(patchKeys(document));
      const lost = [...promised].filter((key) => !present.has(key));
      if (lost.length > 0) violations.push(`${describe(document)} lost acknowledged patch keys ${lost.join(', ')}`);
      for (const key of present) promised.add(key);
    }
  }
  return violations;
}
