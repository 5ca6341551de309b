import type { Test } from 'uvu';

/**
 * Tests of a shared suite that one server cannot pass, by exact title, each with why (what the server does
 * instead, and what MongoDB does). The suite itself stays unchanged for every other store and server.
 */
export type KnownDifferences = Readonly<Record<string, string>>;

/**
 * `test` of a suite, except that a title listed in `differences` is registered as skipped under a title that
 * names the difference, and printed, so the run says which behaviour it did not check and why. Throws on
 * `run()` when a listed title matches no test, so a renamed test cannot silently lose its entry.
 */
export function withKnownDifferences<T>(suiteName: string, test: Test<T>, differences: KnownDifferences): Test<T> {
  const unused = new Set(Object.keys(differences));
  const register = (title: string, handler: Parameters<Test<T>>[1]): void => {
    const why = differences[title];
    if (why === undefined) return test(title, handler);
    unused.delete(title);
    console.log(`${suiteName}: NOT RUN here: "${title}": ${why}`);
    test.skip(`${title} [known difference: ${why}]`, handler);
  };
  return Object.assign(register, {
    only: test.only,
    skip: test.skip,
    before: test.before,
    after: test.after,
    run: () => {
      if (unused.size > 0) throw new Error(`${suiteName}: known differences name no test: ${[...unused].join('; ')}`);
      test.run();
    },
  });
}
