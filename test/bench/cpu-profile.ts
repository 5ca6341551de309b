/**
 * `tsx test/bench/cpu-profile.ts <file.cpuprofile> [top]`: where a function process spent its CPU, by
 * function (self time) and by source package, mapped back through the bundle's linked source map. Profiles
 * come from `BENCH_CPU_PROF=<dir> npm run bench`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  readonly hitCount?: number;
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const maps = new Map<string, SourceMap | null>();

function sourceMapOf(url: string): SourceMap | null {
  if (!maps.has(url)) {
    const file = url.startsWith('file://') ? fileURLToPath(url) : url;
    const mapFile = `${file}.map`;
    maps.set(url, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null);
  }
  return maps.get(url)!;
}

/** `name (source:line)` of a frame, in original sources when the bundle has a map. */
function locate(frame: ProfileNode['callFrame']): { name: string; source: string } {
  const map = frame.url ? sourceMapOf(frame.url) : null;
  if (map && frame.lineNumber >= 0) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number; name?: string };
    if (entry.originalSource) {
      const source = entry.originalSource.replace(/^.*?(node_modules\/|shared\/|functions\/)/, '$1');
      return { name: `${entry.name ?? frame.functionName ?? '(anonymous)'} (${source}:${(entry.originalLine ?? 0) + 1})`, source };
    }
  }
  const name = frame.functionName || (frame.url ? '(anonymous)' : `(${frame.functionName || 'native'})`);
  return { name: frame.url ? `${name} (${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1})` : name, source: frame.url ? frame.url : name };
}

function packageOf(source: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (inModules) return inModules[1]!;
  if (source.startsWith('node:')) return 'node: built-ins';
  const ours = /^(shared\/[^/]+(?:\/[^/]+)?|functions\/[^/]+)/.exec(source);
  return ours ? ours[1]! : source;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx test/bench/cpu-profile.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = profile.endTime - profile.startTime;

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const { name, source } = locate(byId.get(id)!.callFrame);
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  const pkg = packageOf(source);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
}

// Inclusive time: each sample counts once for every distinct function on its stack.
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const { name } = locate(byId.get(at)!.callFrame);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
  }
}

const print = (title: string, entries: Map<string, number>, limit: number) => {
  console.log(`\n${title}`);
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s profiled`);
print('Self time by package or module', byPackage, 25);
print('Self time by function', byFunction, top);
print('Total time by function (self and callees)', inclusive, top);
