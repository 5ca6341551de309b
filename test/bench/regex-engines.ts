/**
 * `tsx test/bench/regex-engines.ts`: the linear-time engines `$regex` can run on, side by side, to choose one by
 * measurement (BENCHMARKS.md, "Regex engine"): `re2` (the C++ RE2 as a native addon) and `re2js` (RE2 ported
 * to JavaScript, the one the service uses). An engine that is not installed is reported as such
 * (`npm install --no-save re2` brings back the addon the service left). Per engine, in fresh processes: the
 * cold start (import and first compile, what a function pays on its first `$regex`), then compile time, match
 * throughput over short strings as stored documents hold them, and the time of the ReDoS patterns of
 * test/e2e/hostile-input.test.ts over a 200,000-character string (a backtracking engine takes minutes on
 * each). Patterns go through the service's own translation (compileRegex) and then each engine's adapter,
 * exactly as a query does.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type CompiledPattern, usePatternEngine, type PatternEngine } from '../../shared/domain/pattern-engine.js';
import { compileRegex } from '../../shared/domain/query/regex.js';

const ENGINES = ['re2', 're2js'] as const;
type EngineName = (typeof ENGINES)[number];

/** Typical `$regex` filters: prefix, suffix, digits, case-folded Unicode, alternation. */
const TYPICAL: ReadonlyArray<readonly [string, string]> = [
  ['^ada', 'i'],
  ['son$', ''],
  ['\\d{3}-\\d{4}', ''],
  ['é', 'i'],
  ['(?:math|poetry|logic)', ''],
];
const CATASTROPHIC = ['(a+)+$', '(a|a)*b', '(a|aa)+$', 'a*a*a*a*a*x', '(.*a){20}x', '^(\\w+\\s?)*$'];
const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Émile Borel', 'Alan Turing', 'call 555-0134', 'math and poetry'];

async function load(name: EngineName): Promise<PatternEngine> {
  if (name === 're2js') return (await import('../../shared/infrastructure/re2js-pattern-engine.js')).re2jsPatternEngine;
  // The adapter the service had for the addon, which takes JavaScript `u`-mode syntax as the domain emits it.
  type RE2Constructor = new (source: string, flags: string) => CompiledPattern;
  const RE2 = createRequire(import.meta.url)('re2') as RE2Constructor;
  return { compile: (source, ignoreCase) => new RE2(source, ignoreCase ? 'iu' : 'u') };
}

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/** One engine, measured in this process (started fresh by the parent), printed as one JSON line. */
async function measure(name: EngineName): Promise<void> {
  let start = process.hrtime.bigint();
  const engine = await load(name);
  usePatternEngine(engine);
  compileRegex('^warm', '', 'filter.a.$regex').test('warm');
  const coldMs = ms(start);

  start = process.hrtime.bigint();
  const compileRounds = 2000;
  for (let i = 0; i < compileRounds; i++) for (const [pattern, options] of TYPICAL) compileRegex(`${pattern}${i}`, options, 'f');
  const compileUs = (ms(start) * 1000) / (compileRounds * TYPICAL.length);

  const compiled = TYPICAL.map(([pattern, options]) => compileRegex(pattern, options, 'f'));
  const matchRounds = 40_000;
  let hits = 0;
  start = process.hrtime.bigint();
  for (let i = 0; i < matchRounds; i++) for (const pattern of compiled) if (pattern.test(NAMES[i % NAMES.length]!)) hits++;
  const matchesPerSecond = Math.round((matchRounds * compiled.length) / (ms(start) / 1000));

  const hostile = 'a'.repeat(200_000);
  start = process.hrtime.bigint();
  for (const pattern of CATASTROPHIC) compileRegex(pattern, '', 'f').test(hostile);
  const catastrophicMs = ms(start);
  console.log(JSON.stringify({ name, coldMs, compileUs, matchesPerSecond, catastrophicMs, hits }));
}

function installed(name: EngineName): boolean {
  return spawnSync(process.execPath, ['-e', `require.resolve(${JSON.stringify(name)})`]).status === 0;
}

const child = process.argv[2] as EngineName | undefined;
if (child) {
  await measure(child);
} else {
  const RUNS = 5;
  console.log(`Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, median of ${RUNS} fresh processes`);
  console.log('| engine | cold start (import + first compile) | compile | matches/s (short strings) | 6 ReDoS patterns × 200k chars |');
  console.log('|---|---|---|---|---|');
  for (const name of ENGINES) {
    if (!installed(name)) {
      console.log(`| ${name} | not installed | | | |`);
      continue;
    }
    const runs = Array.from({ length: RUNS }, () => {
      const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), name], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
      return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, number>;
    });
    const median = (key: string) => runs.map((run) => run[key]!).sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    console.log(
      `| ${name} | ${median('coldMs').toFixed(1)} ms | ${median('compileUs').toFixed(1)} µs | ${median('matchesPerSecond').toLocaleString('en')} | ${median('catastrophicMs').toFixed(0)} ms |`,
    );
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
