// The network a build's RUN steps use by default (as BuildKit's): a bridge of berth's own
// network subsystem with outbound NAT, one per build, made at the first RUN that needs it and
// removed when the build ends. Each RUN container gets its own netns with a veth on it (host
// resolvers without loopback stubs in its resolv.conf). A build that crashed leaves a record
// naming its process; the next build network removes those whose process is gone.
import type { NetworkContext, NetworkRecord } from '../network/index.js';
import { attachContainer, detachContainer, ensureNetwork, listNetworks, openNetlink, removeNetwork, renderResolvConf } from '../network/index.js';
import { isAlive, ownerLine } from '../util/lock-file.js';
const { randomBytes } = process.getBuiltinModule('node:crypto');

/** The `project` of every build network record. */
export const BUILD_NETWORK_PROJECT = 'berth-build';
const OWNER_LABEL = 'berth.build.owner';

export class BuildNetwork {
  private readonly root: string;
  /** Set by the first attach: the record's creation, and one netlink relay for the build. */
  private made: { readonly ctx: NetworkContext; readonly record: Promise<NetworkRecord> } | undefined;
  readonly name = `berth-build-${randomBytes(5).toString('hex')}`;

  constructor(root: string) {
    this.root = root;
  }

  /** resolv.conf for a RUN container: the host's resolvers, loopback stubs left out. */
  resolvConf(): string {
    return renderResolvConf({});
  }

  /** Puts the container whose netns is `netnsPath` on the build network (made on first use). */
  async attach(containerId: string, netnsPath: string): Promise<void> {
    if (!this.made) {
      const ctx: NetworkContext = { root: this.root, netlink: openNetlink() };
      this.made = { ctx, record: this.create(ctx) };
    }
    await this.made.record;
    await attachContainer(this.made.ctx, { containerId, netnsPath, attachments: [{ network: this.name, names: [] }] });
  }

  /** Releases the container's lease (its veth goes with its netns). */
  async detach(containerId: string): Promise<void> {
    if (!this.made) return;
    const report = await detachContainer(this.made.ctx, containerId, { networks: [this.name], keepLinks: true });
    if (report.errors.length) throw report.errors[0];
  }

  /** Removes the network (idempotent) and ends the netlink session; errors are thrown after both. */
  async remove(): Promise<void> {
    const made = this.made;
    if (!made) return;
    this.made = undefined;
    try {
      const report = await removeNetwork(made.ctx, this.name, { force: true });
      if (report.errors.length) throw report.errors[0];
    } finally {
      await made.ctx.netlink?.close();
    }
  }

  private async create(ctx: NetworkContext): Promise<NetworkRecord> {
    for (const stale of listNetworks(ctx, BUILD_NETWORK_PROJECT)) {
      const [pid, start] = (stale.labels[OWNER_LABEL] ?? '').split(' ');
      if (!isAlive(Number(pid), start)) await removeNetwork(ctx, stale.name, { force: true });
    }
    return ensureNetwork(ctx, { name: this.name, project: BUILD_NETWORK_PROJECT, labels: { [OWNER_LABEL]: ownerLine().trim() } });
  }
}
