// Public types of the network module (L3): bridges, veth endpoints, IPAM leases, published
// ports, the embedded DNS responder. Knows nothing of compose: the engine translates a
// compose `networks:` / `ports:` entry into these small configs.
import type { Netlink } from './netlink/netlink.js';

/** Everything a network call needs; one `Netlink` may be shared by a whole `up`. */
export interface NetworkContext {
  /** $BERTH_ROOT: records under networks/, leases under ipam/, ports under ports/. */
  readonly root: string;
  /**
   * A netlink session (one relay process) shared by a batch of calls. When absent each call
   * opens and closes its own. Get one with `openNetlink()`.
   */
  readonly netlink?: Netlink;
  readonly signal?: AbortSignal;
}

/** Desired state of one network (a compose top-level `networks:` entry). */
export interface NetworkConfig {
  /** The real name: `<project>_<key>` for project networks, the key for external ones. */
  readonly name: string;
  /** Compose project that owns it (labels, bridge-name derivation). */
  readonly project: string;
  /** Used, never created or removed; it must already exist (another project's record). */
  readonly external?: boolean;
  /** No route out: no default route in containers, forwarding to other interfaces dropped. */
  readonly internal?: boolean;
  /** Default `bth` + hash of the root and the name (<= 15 chars). `com.docker.network.bridge.name` maps here. */
  readonly bridgeName?: string;
  /** `com.docker.network.driver.mtu`; default 1500. */
  readonly mtu?: number;
  /** `ipam.config[0]`; everything optional: the subnet is picked from the pool otherwise. */
  readonly subnet?: string;
  readonly gateway?: string;
  readonly ipRange?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** What is on disk for a network: `$BERTH_ROOT/networks/<name>.json`. */
export interface NetworkRecord {
  readonly name: string;
  readonly project: string;
  readonly bridge: string;
  /** CIDR, e.g. `172.18.0.0/16`. */
  readonly subnet: string;
  readonly gateway: string;
  /** CIDR the container addresses are allocated from (defaults to the subnet). */
  readonly ipRange: string;
  readonly internal: boolean;
  readonly mtu: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly created: string;
  /** A custom-named bridge berth created itself (and so deletes); `bth…` bridges always are berth's. */
  readonly bridgeCreated?: boolean;
  /** On a bridge that existed before the network: berth added the gateway address (and takes it off). */
  readonly gatewayAdded?: boolean;
  /** Set while removeNetwork runs: no longer rendered into firewall rules; finished by the next removal. */
  readonly removing?: boolean;
}

/** One network a container joins (a service's `networks:` entry, in order). */
export interface AttachmentSpec {
  /** NetworkRecord.name. */
  readonly network: string;
  /** Interface name inside the container; default `eth<N>` by position. */
  readonly ifname?: string;
  /** compose `ipv4_address`; must lie in the network's subnet and be free. */
  readonly ipv4Address?: string;
  /** compose `mac_address` (`02:42:ac:11:00:02`); random locally administered otherwise. */
  readonly macAddress?: string;
  /** DNS names on this network: service, container name, SERVICE-N, PROJECT-SERVICE-N, aliases. */
  readonly names: readonly string[];
}

export interface AttachOptions {
  readonly containerId: string;
  /** The container's network namespace, e.g. `/proc/<pid>/ns/net` at the shim's sync point. */
  readonly netnsPath: string;
  readonly attachments: readonly AttachmentSpec[];
}

/** One attached interface, as recorded in `$BERTH_ROOT/networks/<net>.endpoints/<id>.json`. */
export interface Endpoint {
  readonly network: string;
  readonly containerId: string;
  readonly ifname: string;
  /** The host end (`bth…`), enslaved to the bridge. */
  readonly hostIfname: string;
  readonly address: string;
  readonly prefixLength: number;
  readonly gateway: string;
  readonly mac: string;
  readonly names: readonly string[];
}

export interface AttachResult {
  readonly endpoints: readonly Endpoint[];
}

export type PortProtocol = 'tcp' | 'udp';

/** One published port after range expansion (`"8080-8081:80-81"` = two of these). */
export interface PortMapping {
  /** `''` or absent = every host address (0.0.0.0). */
  readonly hostIp?: string;
  /** 0 = pick a free ephemeral port (compose `"80"`). */
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: PortProtocol;
}

export interface PublishOptions {
  readonly containerId: string;
  /** For error messages: `service web: port 8080/tcp is already in use on 0.0.0.0`. */
  readonly service: string;
  /** The network whose address receives the traffic; default: the container's first endpoint. */
  readonly network?: string;
  readonly ports: readonly PortMapping[];
}

/** A port rule in force: `$BERTH_ROOT/ports/<containerId>.json`. */
export interface PublishedPort {
  readonly hostIp: string;
  readonly hostPort: number;
  readonly containerIp: string;
  readonly containerPort: number;
  readonly protocol: PortProtocol;
  readonly service: string;
  readonly containerId: string;
  readonly bridge: string;
}

/** What `checkPortsFree` checks, before anything starts. */
export interface PortRequest {
  readonly service: string;
  readonly hostIp?: string | undefined;
  readonly hostPort: number;
  readonly protocol: PortProtocol;
}

/** A DNS record set: name -> addresses (all replicas, answered round-robin). */
export type DnsRecords = ReadonlyMap<string, readonly string[]>;

export interface DnsResponder {
  /** The address it listens on (the bridge gateway) and port (53). */
  readonly address: string;
  readonly port: number;
  /** Replace the record set (names lower-cased). Takes effect for the next query. */
  setRecords(records: DnsRecords): void;
  /** Re-read the endpoint records of the network from disk (also done on every change). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export interface DnsResponderOptions {
  /** NetworkRecord.name. */
  readonly network: string;
  /** Defaults to 53. */
  readonly port?: number;
  /** Upstream resolvers; default: the host's /etc/resolv.conf minus loopback stubs. */
  readonly upstreams?: readonly string[];
  /** Hide endpoints whose host veth is gone (a stopped container; default true). */
  readonly liveCheck?: boolean;
  /** Watch the endpoint directory and refresh on change (default true). */
  readonly watch?: boolean;
  /** Clock in ms (default Date.now) for the rate limit of disk reloads on misses; tests pass a fake one. */
  readonly now?: () => number;
  /** Forwarded queries in flight at once (default MAX_FORWARDS, 256); more are answered SERVFAIL. */
  readonly maxForwards?: number;
}

export interface ResolvConfOptions {
  /** The embedded DNS address (the network gateway); absent for `network_mode: host|none`. */
  readonly embeddedDns?: string;
  /** compose `dns`: replaces the embedded server (docker: forwarded by it; here used directly). */
  readonly dns?: readonly string[];
  readonly dnsSearch?: readonly string[];
  readonly dnsOptions?: readonly string[];
}

export interface HostsOptions {
  readonly hostname: string;
  /** The container's own addresses (first endpoint first). */
  readonly addresses: readonly string[];
  /** compose `extra_hosts` normalized to `name -> ip` pairs, in order. */
  readonly extraHosts?: readonly (readonly [string, string])[];
  /** Include the IPv6 localhost lines (default true). */
  readonly ipv6?: boolean;
}

/** For `berth info`: which backends were chosen (once, at startup). */
export interface NetworkBackendInfo {
  /** `netlink (berth-net relay)`. */
  readonly linkTransport: string;
  /** `nftables (nft -f)` or `unavailable: ...`. */
  readonly firewall: string;
  /** How published ports reach containers, loopback included. */
  readonly portForwarding: string;
  /** Present when an iptables-nft FORWARD chain with policy drop was found and is handled. */
  readonly forwardPolicy: string;
  readonly ipForward: boolean;
}

/** Result of a best-effort teardown: what failed (the rest was still done). */
export interface TeardownReport {
  readonly removed: readonly string[];
  readonly errors: readonly unknown[];
}
