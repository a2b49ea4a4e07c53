/**
 * `berth logs | head`: the reader went away. berth ends quietly, as a program killed by
 * SIGPIPE would (exit 141): Node ignores SIGPIPE and turns the write into an 'error' event,
 * thrown unhandled (a stack trace) when nobody listens.
 *
 * The listener is added when the stream is first used, not before: `process.stdout` and
 * `process.stderr` are made on first access, and making one loads Node's stream modules
 * (~3 ms of every start, container start latency), while an attached `container run` never
 * writes to either before it execs into the shim.
 */
export type Proc = Pick<NodeJS.Process, 'stdout' | 'stderr' | 'exit'>;

export function endQuietlyOnEpipe(proc: Proc = process): void {
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') proc.exit(141);
  };
  for (const name of ['stdout', 'stderr'] as const) {
    const own = Object.getOwnPropertyDescriptor(proc, name);
    if (own?.get === undefined || own.configurable !== true) {
      proc[name].on('error', onError);
      continue;
    }
    Object.defineProperty(proc, name, {
      configurable: true,
      enumerable: own.enumerable ?? true,
      get() {
        // once: Node's getter keeps the stream it made; later reads go straight to it
        Object.defineProperty(proc, name, own);
        const stream = proc[name];
        stream.on('error', onError);
        return stream;
      },
    });
  }
}
