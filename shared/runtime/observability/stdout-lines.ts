/**
 * Log lines to stdout, one write per turn of the event loop instead of one per line. Each write is a system
 * call (stdout is synchronous for files and pipes), and a busy process logs several lines a turn (one per
 * change it makes). Lines keep their order; whatever is pending when the process exits, by process.exit, an
 * uncaught error or the end of the event loop, is written then.
 */
export function stdoutLines(): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    process.stdout.write(text);
  };
  process.on('exit', flush);
  return (line) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  };
}
