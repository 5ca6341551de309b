import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import { imageUser, parseDockerfile } from '../support/dockerfile.js';
import { ofKind } from '../support/manifests.js';
import { ROOT } from '../support/processes.js';
import { FUNCTION_NODE_FLAGS } from '../../shared/runtime/startup/node-flags.js';

/**
 * The Dockerfile, checked without a container engine (none runs here): its stages, its user, and that every
 * file the final image takes from the build exists after `npm run build` and is what the manifests run.
 */
const stages = parseDockerfile();
const final = stages.at(-1)!;
const finalOf = (op: string) => final.instructions.filter((i) => i.op === op);
/**
 * Each `COPY --from=<stage> <source> <target>` of the final image, with the source as a repository path (a
 * build stage keeps the repository in its WORKDIR) and the target relative to the image's WORKDIR.
 */
function copies(): Array<{ source: string; target: string }> {
  return finalOf('COPY').map(({ args }) => {
    const [, from, source, target] = /^--from=(\S+)\s+(\S+)\s+(\S+)$/.exec(args) ?? [];
    assert.ok(from && source && target, `the final stage copies only from a build stage: COPY ${args}`);
    const stage = stages.find((s) => s.name === from);
    assert.ok(stage?.workdir, `stage ${from} exists and has a WORKDIR`);
    return { source: relative(stage!.workdir!, source!), target: target!.replace(/^\.\//, '') };
  });
}

/** Where a path of the repository ends up in the image, if it is copied. */
function inImage(repoPath: string): string | undefined {
  for (const { source, target } of copies()) {
    if (repoPath === source || repoPath.startsWith(`${source}/`)) return target + repoPath.slice(source.length);
  }
  return undefined;
}

const jsonArray = (op: string) => JSON.parse(finalOf(op).at(-1)?.args ?? 'null') as string[] | null;

test('the image is built in stages and runs from a slim base, not the full Node image', () => {
  assert.ok(stages.length >= 2, 'a build stage and a run stage');
  assert.ok(!/^node:/.test(final.base), `the run stage is not the full Node image but ${final.base}`);
});

test('the image runs as a numeric non-root uid:gid, which the kubelet can verify against runAsNonRoot', () => {
  const user = imageUser();
  const [, uid, gid] = /^(\d+):(\d+)$/.exec(user) ?? [];
  assert.ok(uid && gid, `USER ${user} is uid:gid in numbers (a name such as "nonroot" cannot be verified)`);
  assert.ok(Number(uid) > 0 && Number(gid) > 0, `USER ${user} is not root`);
});

test('every stage runs Node 24, the build and the run stage on the same Debian release', () => {
  const [build] = stages;
  const [, buildMajor, buildDebian] = /^node:(\d+)-(\w+)-slim$/.exec(build!.base) ?? [];
  const [, runMajor, runDebian] = /^gcr\.io\/distroless\/nodejs(\d+)-debian(\d+)(?::nonroot)?$/.exec(final.base) ?? [];
  assert.is(buildMajor, '24', `build stage: ${build!.base}`);
  assert.is(runMajor, '24', `run stage: ${final.base}`);
  const DEBIAN_RELEASES: Record<string, string> = { bookworm: '12', trixie: '13' };
  assert.is(DEBIAN_RELEASES[buildDebian ?? ''], runDebian, `${build!.base} and ${final.base}`);
  for (const stage of stages.slice(1, -1)) {
    assert.ok(stages.some((s) => s.name === stage.base) || stage.base === final.base, `${stage.name} builds FROM an earlier stage or the run image`);
  }
});

test('everything the image takes from the build stages exists after the build', () => {
  assert.ok(copies().length > 0);
  for (const { source } of copies()) assert.ok(existsSync(join(ROOT, source)), `${source} exists`);
});

test('the default command and every manifest run a bundle the image holds', () => {
  const [node] = jsonArray('ENTRYPOINT') ?? [];
  assert.match(node ?? '', /node$/);
  const commands = [jsonArray('CMD')!, ...[...ofKind('Service', 'serving.knative.dev/v1'), ...ofKind('Deployment', 'apps/v1')].map((w) => w.spec.template.spec.containers[0].args)];
  // The bundle is the last argument: a function's own Node flags come before it (node-flags.ts).
  const run = new Set(commands.map((args) => args.at(-1)));
  for (const bundle of run) {
    assert.ok(existsSync(join(ROOT, bundle)), `${bundle} is built`);
    assert.is(inImage(bundle), bundle, `${bundle} is in the image at the same path`);
  }
  for (const op of FUNCTION_NAMES) assert.ok(run.has(`dist/functions/${op}.mjs`), `${op} runs from the image`);
  assert.ok(run.has('dist/grpc-sidecar.mjs'));
});

test('the image holds the proto files the sidecar reads', () => {
  assert.is(inImage('proto/database_service.proto'), 'proto/database_service.proto');
});

test("the functions' compile cache is written by the run image's Node as the uid the image runs as", () => {
  const stage = stages.find((s) => s.name === 'compile-cache');
  assert.ok(stage, 'a compile-cache stage');
  assert.is(stage!.base, final.base, 'Node uses only a cache of its own version');
  const users = stage!.instructions.filter((i) => i.op === 'USER');
  assert.is(users.at(-1)?.args, imageUser(), 'Node uses only a cache of its own uid');
  assert.ok(stage!.instructions.some((i) => i.op === 'RUN' && i.args.includes('dist/warm-compile-cache.mjs')));
  assert.is(inImage('dist/compile-cache'), 'dist/compile-cache');
});

test('the image runs Node with the flags a function runs with everywhere', () => {
  assert.equal(jsonArray('ENTRYPOINT')?.slice(1), [...FUNCTION_NODE_FLAGS]);
});

test('the build context leaves out what is installed or built locally', () => {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
  for (const entry of ['node_modules', 'dist', '.git', 'data', '.cache']) assert.ok(ignored.includes(entry), `.dockerignore lists ${entry}`);
});

test.run();
