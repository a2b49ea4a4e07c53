// Applies the berth table with the `nft` tool (the fallback transport the issue allows):
// one transaction replaces the whole table and berth's accepts in an iptables-nft FORWARD
// chain, so a crash between steps never leaves half a ruleset.
import { BerthError } from '../../errors.js';
import { withLock } from '../lock.js';
import { listAllPorts, listRecords } from '../state.js';
import { findOwnRuleHandles, forwardPolicyDrops, isEmpty, renderForwardAccepts, renderTable, type FirewallState } from './ruleset.js';
import type { ToolResult } from '../netlink/relay.js';
import { DEFAULT_BERTH_ROOT } from '../../util/berth-dirs.js';
const { spawn } = process.getBuiltinModule('node:child_process');
const { createHash } = process.getBuiltinModule('node:crypto');
const { existsSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

/** `berth` for the default root; `berth_<hash>` for any other (tests, several roots). */
export function tableName(root: string): string {
  return root === DEFAULT_BERTH_ROOT ? 'berth' : `berth_${createHash('sha256').update(root).digest('hex').slice(0, 8)}`;
}

export function nftPath(): string | undefined {
  return ['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft'].find((p) => existsSync(p));
}

/** A tool's exit code and output (the relay's result type, whichever way nft ran). */
export type NftResult = ToolResult;

/** Runs a tool: through the netlink relay when one is given (a fork of a small process). */
export type ToolRunner = (path: string, args: readonly string[], input: string) => Promise<NftResult>;

export function runNft(args: readonly string[], input?: string, via?: ToolRunner): Promise<NftResult> {
  const nft = nftPath();
  if (!nft) {
    return Promise.reject(
      new BerthError('network/firewall-unavailable', 'nftables is not available: the nft tool was not found', {
        hint: 'install nftables (apt-get install nftables)',
      }),
    );
  }
  if (via) return via(nft, args, input ?? '');
  return new Promise((resolve, reject) => {
    const child = spawn(nft, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

export interface ForwardChainInfo {
  readonly exists: boolean;
  readonly policyDrop: boolean;
  readonly listing: string;
}

/** The iptables-nft filter FORWARD chain, if any (what Docker leaves with policy drop). */
export async function inspectForwardChain(via?: ToolRunner): Promise<ForwardChainInfo> {
  const r = await runNft(['-a', 'list', 'chain', 'ip', 'filter', 'FORWARD'], undefined, via);
  if (r.code !== 0) return { exists: false, policyDrop: false, listing: '' };
  return { exists: true, policyDrop: forwardPolicyDrops(r.stdout), listing: r.stdout };
}

/** Builds the nft script that brings the kernel in line with `state`. Pure. */
export function planFirewall(state: FirewallState, forward: ForwardChainInfo): string {
  const lines: string[] = [`table ip ${state.table}`, `delete table ip ${state.table}`];
  for (const h of findOwnRuleHandles(forward.listing, state.table)) lines.push(`delete rule ip filter FORWARD handle ${h}`);
  if (!isEmpty(state)) {
    lines.push(renderTable(state).trimEnd());
    if (forward.exists) lines.push(...renderForwardAccepts(state));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Starts listing the FORWARD chain ahead of a syncFirewall (one nft exec, ~20 ms) so it
 * overlaps other kernel work (the bridge create/delete); undefined when nft is missing.
 */
export function prefetchForwardChain(via?: ToolRunner): Promise<ForwardChainInfo> | undefined {
  if (!nftPath()) return undefined;
  const p = inspectForwardChain(via);
  p.catch(() => undefined);
  return p;
}

/**
 * Re-renders berth's rules from disk and applies them atomically. `forward`: a listing
 * started earlier (prefetchForwardChain); when the transaction fails with it (a handle
 * another process removed meanwhile), the chain is listed again under the lock and the
 * whole transaction retried once, so a stale listing never leaves rules behind.
 */
export async function syncFirewall(root: string, opts: { forward?: Promise<ForwardChainInfo> | undefined; via?: ToolRunner | undefined } = {}): Promise<void> {
  const via = opts.via;
  await withLock(join(root, 'networks', '.firewall.lock'), async () => {
    const state: FirewallState = { table: tableName(root), networks: listRecords(root).filter((r) => !r.removing), ports: listAllPorts(root) };
    if (isEmpty(state) && !nftPath()) return;
    const early = opts.forward ? await opts.forward.catch(() => undefined) : undefined;
    let script = planFirewall(state, early ?? (await inspectForwardChain(via)));
    let r = await runNft(['-f', '-'], script, via);
    if (r.code !== 0 && early) {
      script = planFirewall(state, await inspectForwardChain(via));
      r = await runNft(['-f', '-'], script, via);
    }
    if (r.code !== 0) {
      throw new BerthError('network/firewall', `applying nftables rules failed: ${r.stderr.trim().split('\n')[0] ?? ''}`, {
        details: { script, stderr: r.stderr },
      });
    }
  });
}
