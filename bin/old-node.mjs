// bin/berth on a Node older than 22.15 (a machine's stock Node 20, say): run berth on the
// Node.js that `npm ci` installed beside it (the node-linux-* optional dependency, linked as
// node_modules/.bin/node), as a child with the same arguments, streams and terminal. Written
// for old Nodes: no newer API than Node 18's. The returned promise never settles: this
// process exits with the child's status (or its signal).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FORWARD = ['SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

export function runOnBundledNode(berthUrl) {
  const node = fileURLToPath(new URL('../node_modules/.bin/node', berthUrl));
  if (!existsSync(node)) {
    process.stderr.write(
      `berth: Node.js ${process.versions.node} is too old: berth needs Node.js 22.15 or newer\n` +
        "  hint: run `npm ci` in berth's folder (it installs Node 24 beside berth), or put a newer node first on PATH\n",
    );
    process.exit(1);
  }
  const child = spawn(node, [fileURLToPath(berthUrl), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of FORWARD) process.on(sig, () => child.kill(sig));
  // Ctrl-C on a terminal reaches the child itself (same process group): count it once.
  // Sent to this process alone (a pipe, a test), it is passed on.
  process.on('SIGINT', () => process.stdin.isTTY || child.kill('SIGINT'));
  child.on('error', (err) => {
    process.stderr.write(`berth: cannot start ${node}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const sig of [...FORWARD, 'SIGINT']) process.removeAllListeners(sig);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
  return new Promise(() => {});
}
