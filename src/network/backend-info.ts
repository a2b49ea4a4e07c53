// What `berth info` shows about networking: the backends chosen once at startup.
import { inspectForwardChain, nftPath, tableName } from './firewall/nft.js';
import { DEFAULT_BERTH_ROOT } from '../util/berth-dirs.js';
import { relayPath } from './netlink/relay.js';
import type { NetworkBackendInfo } from './types.js';
const { readFileSync } = process.getBuiltinModule('node:fs');

/** `root`: the BERTH_ROOT in use (names the nft table). */
export async function networkBackendInfo(root: string = DEFAULT_BERTH_ROOT): Promise<NetworkBackendInfo> {
  let linkTransport: string;
  try {
    linkTransport = `netlink (${relayPath()})`;
  } catch {
    linkTransport = 'unavailable: native/build/berth-net is not built';
  }
  const nft = nftPath();
  let forwardPolicy = 'no iptables-nft filter FORWARD chain';
  if (nft) {
    const fwd = await inspectForwardChain().catch(() => undefined);
    if (fwd?.exists) {
      forwardPolicy = fwd.policyDrop
        ? 'iptables-nft FORWARD policy drop (Docker leftover): berth inserts accepts for its bridges'
        : 'iptables-nft FORWARD policy accept: berth inserts accepts for its bridges';
    }
  }
  let ipForward = false;
  try {
    ipForward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() === '1';
  } catch {
    // not Linux
  }
  return {
    linkTransport,
    firewall: nft ? `nftables (${nft} -f, table ip ${tableName(root)})` : 'unavailable: nft not found (published ports and masquerade disabled)',
    portForwarding: 'nftables DNAT (prerouting + output, route_localnet for 127.0.0.1, masquerade for loopback/hairpin)',
    forwardPolicy,
    ipForward,
  };
}
