/**
 * Log lines to stdout, one write per turn of the event loop instead of one per line. Each write is a system
 * call (stdout is synchronous for files and pipes), and a busy process logs several lines a turn (one per
 * change it makes: a bulk create of 100 documents writes 101). Lines keep their order; whatever is pending when
 * the process exits, by process.exit, an uncaught error or the end of the event loop, is written then.
 */
export function stdoutLines(): (line: string) => void {
  let pending: string[] = [];
  let chars = 0;
  let longest = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const text = encodeLines(pending, chars, longest);
    pending = [];
    chars = longest = 0;
    process.stdout.write(text);
  };
  process.on('exit', flush);
  return (line) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
    chars += line.length;
    if (line.length > longest) longest = line.length;
  };
}

/**
 * The lines' UTF-8, each encoded once into one buffer. Joining them into one string first and letting the
 * stream encode that costs two more copies: 0.7–0.8 µs a log line against 0.2–0.3 (10,000 lines of an event).
 * The buffer holds `chars` bytes, what ASCII takes, plus room for three bytes a character of the longest line,
 * so ASCII lines never outgrow it; a line that may not fit (other characters take up to three bytes per UTF-16
 * unit) first makes room for all that is left.
 */
export function encodeLines(lines: readonly string[], chars: number, longest: number): Buffer {
  let buffer = Buffer.allocUnsafe(chars + 3 * longest);
  let written = 0;
  let left = chars;
  for (const line of lines) {
    if (written + 3 * line.length > buffer.length) {
      const larger = Buffer.allocUnsafe(written + 3 * left);
      buffer.copy(larger, 0, 0, written);
      buffer = larger;
    }
    written += buffer.write(line, written, 'utf8');
    left -= line.length;
  }
  return buffer.subarray(0, written);
}
