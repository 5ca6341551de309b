/**
 * Secrets that are obviously not secret: the placeholders of examples and templates ("REPLACE-ME",
 * "changeme", …) and strings made of a few characters repeated ("aaaaaaaaaaaaaaaa", "abababab…"). A service
 * started with one answers anyone who has read the same example, so it must refuse to start instead
 * (docs/security.md "API keys" lists the rule). A random key (`openssl rand -base64 32`) never trips it: it
 * has dozens of distinct characters and containing one of these words by chance is vanishingly unlikely.
 */

/** Words of examples and templates, compared without case and without separators (`Replace_Me` = `replaceme`). */
const PLACEHOLDER_WORDS = ['replaceme', 'changeme', 'placeholder', 'example', 'yoursecret', 'yourkey'];
/** Fewer distinct characters than this is a repeated pattern, not a random string. */
const MIN_DISTINCT_CHARACTERS = 4;

/** Why a secret is an obvious placeholder, or undefined when it is not one. */
export function placeholderReason(secret: string): string | undefined {
  const folded = secret.toLowerCase().replace(/[^a-z0-9]/g, '');
  const word = PLACEHOLDER_WORDS.find((w) => folded.includes(w));
  if (word) return `it contains the placeholder word "${word}"`;
  if (new Set(secret).size < MIN_DISTINCT_CHARACTERS) return `it repeats fewer than ${MIN_DISTINCT_CHARACTERS} distinct characters`;
  return undefined;
}
