// The whole berth nftables table, rendered from the state on disk (pure). Regenerating the
// table in one `nft -f` transaction keeps the rules idempotent and crash-safe: there is no
// per-rule bookkeeping to lose.
import type { NetworkRecord, PublishedPort } from '../types.js';
import { compareText } from '../../util/compare.js';

export interface FirewallState {
  /** nft table name (family ip): `berth`, or `berth_<hash>` for a non-default root. */
  readonly table: string;
  readonly networks: readonly NetworkRecord[];
  readonly ports: readonly PublishedPort[];
}

const q = (s: string): string => `"${s.replace(/["\\]/g, '')}"`;

function portRule(p: PublishedPort): string {
  const daddr = p.hostIp && p.hostIp !== '0.0.0.0' ? `ip daddr ${p.hostIp} ` : '';
  return `    ${daddr}${p.protocol} dport ${p.hostPort} dnat to ${p.containerIp}:${p.containerPort}`;
}

/** True when berth needs no table at all (everything torn down). */
export const isEmpty = (s: FirewallState): boolean => s.networks.length === 0 && s.ports.length === 0;

/** `table ip <name> { ... }`: DNAT for published ports (from outside and from the host
 *  itself, loopback included), masquerade out of non-internal networks and for
 *  loopback/hairpin clients, drops that keep internal networks internal, drop what is
 *  routed into a bridge from outside unless it is a published port or a reply, and drop
 *  what comes for 127.0.0.0/8 on any interface but lo unless it is DNAT'ed. */
export function renderTable(s: FirewallState): string {
  const nets = [...s.networks].sort((a, b) => compareText(a.name, b.name));
  const ports = [...s.ports].sort((a, b) => a.hostPort - b.hostPort || compareText(a.protocol, b.protocol) || compareText(a.hostIp, b.hostIp));
  const lines: string[] = [`table ip ${s.table} {`];
  lines.push('  chain ports {', ...ports.map(portRule), '  }');
  lines.push('  chain prerouting {', '    type nat hook prerouting priority -100; policy accept;', '    fib daddr type local jump ports', '  }');
  lines.push('  chain output {', '    type nat hook output priority -100; policy accept;', '    fib daddr type local jump ports', '  }');
  lines.push('  chain postrouting {', '    type nat hook postrouting priority 100; policy accept;');
  for (const n of nets) {
    const br = q(n.bridge);
    if (!n.internal) lines.push(`    ip saddr ${n.subnet} oifname != ${br} masquerade`);
    lines.push(`    oifname ${br} ip saddr 127.0.0.0/8 masquerade`);
    lines.push(`    oifname ${br} ip saddr ${n.subnet} ct status dnat masquerade`);
  }
  lines.push('  }');
  // Networks are isolated from each other (docker's isolation chains), internal ones from
  // everything outside their bridge.
  lines.push('  set bridges {', '    type ifname;');
  if (nets.length) lines.push(`    elements = { ${nets.map((n) => q(n.bridge)).join(', ')} }`);
  lines.push('  }');
  lines.push('  chain forward {', '    type filter hook forward priority 0; policy accept;');
  for (const n of nets) lines.push(`    iifname ${q(n.bridge)} oifname @bridges oifname != ${q(n.bridge)} drop`);
  for (const n of nets.filter((x) => x.internal)) {
    lines.push(`    iifname ${q(n.bridge)} oifname != ${q(n.bridge)} drop`);
    lines.push(`    oifname ${q(n.bridge)} iifname != ${q(n.bridge)} drop`);
  }
  // Routed in from outside (berth turns ip_forward on): only published ports (DNAT'ed) and
  // replies, as Docker's FORWARD policy drop.
  lines.push('    oifname @bridges iifname != @bridges ct state & (established | related) == 0 ct status & dnat == 0 drop');
  lines.push('  }');
  // route_localnet=1 on the bridges (for published ports on 127.0.0.1) would let a container
  // reach host services bound to 127.0.0.1 (CVE-2020-8558): loopback destinations are only
  // for lo and for DNAT'ed connections (the replies of a published port's loopback client).
  lines.push('  chain input {', '    type filter hook input priority 0; policy accept;');
  lines.push('    iifname != "lo" ip daddr 127.0.0.0/8 ct status & dnat == 0 drop');
  lines.push('  }', '}');
  return `${lines.join('\n')}\n`;
}

/** Rules berth inserts into an iptables-nft `ip filter FORWARD` chain whose policy is drop
 *  (a host that ran Docker): an accept in berth's own table cannot override a drop there. */
export function renderForwardAccepts(s: FirewallState): string[] {
  const tag = q(`berth:${s.table}`);
  return [...s.networks]
    .sort((a, b) => compareText(a.name, b.name))
    .flatMap((n) => [`insert rule ip filter FORWARD iifname ${q(n.bridge)} accept comment ${tag}`, `insert rule ip filter FORWARD oifname ${q(n.bridge)} accept comment ${tag}`]);
}

/** Handles of berth's own rules in `nft -a list chain ip filter FORWARD` output. */
export function findOwnRuleHandles(listing: string, table: string): number[] {
  const tag = `comment "berth:${table}"`;
  return listing
    .split('\n')
    .filter((l) => l.includes(tag))
    .flatMap((l) => {
      const m = /# handle (\d+)\s*$/.exec(l);
      return m ? [Number(m[1])] : [];
    });
}

/** Does the FORWARD chain listing show `policy drop`? */
export const forwardPolicyDrops = (listing: string): boolean => /policy drop;/.test(listing);
