/**
 * holdNamespaces: keeps the network namespaces of containers about to stop alive until
 * release(). `down` holds those of the containers on networks it removes: a stopped
 * container's namespace is otherwise torn down by the kernel right away (cleanup_net, on
 * rtnl, RCU barriers included), and the bridge's deletion then queues behind it. Held, the
 * container's veth goes with the bridge in one unregister batch and the namespaces' own
 * teardown runs after it. A pid that is gone (or not the container's any more: holding a
 * foreign namespace for a moment harms nothing) is skipped.
 */
const { closeSync, openSync } = process.getBuiltinModule('node:fs');

export function holdNamespaces(pids: readonly number[]): () => void {
  const fds: number[] = [];
  for (const pid of pids) {
    try {
      fds.push(openSync(`/proc/${pid}/ns/net`, 'r'));
    } catch {
      // exited already
    }
  }
  return () => {
    for (const fd of fds.splice(0)) closeSync(fd);
  };
}
