import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.js';

/** One stage of the Dockerfile: its base, name, WORKDIR and instructions (line continuations joined). */
export interface Stage {
  readonly name: string | undefined;
  readonly base: string;
  workdir: string | undefined;
  readonly instructions: Array<{ readonly op: string; readonly args: string }>;
}

/** The Dockerfile's stages, parsed without a container engine (none runs here). */
export function parseDockerfile(): Stage[] {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (!op || args === undefined) continue;
    if (op.toUpperCase() === 'FROM') {
      const [, base, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      // A stage built FROM an earlier one starts in that one's WORKDIR.
      stages.push({ name, base: base!, workdir: stages.find((s) => s.name === base)?.workdir, instructions: [] });
      continue;
    }
    const stage = stages.at(-1)!;
    if (op.toUpperCase() === 'WORKDIR') stage.workdir = args;
    stage.instructions.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

/** The user the image runs as: the final stage's last USER ("" when it sets none). */
export function imageUser(): string {
  const final = parseDockerfile().at(-1)!;
  return final.instructions.filter((i) => i.op === 'USER').at(-1)?.args ?? '';
}
