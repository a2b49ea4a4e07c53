/** The STATE cell of a row and its colour. Pure. */
import type { ServiceRow } from './model.js';
import { bytes, duration } from './format.js';
import { eta } from './rate.js';

export type Tone = 'good' | 'bad' | 'busy' | 'idle';

export function stateText(r: ServiceRow, now: number): { text: string; tone: Tone } {
  switch (r.phase) {
    case 'pulling': {
      const p = r.pull;
      if (!p || p.total === 0) return { text: 'pulling', tone: 'busy' };
      const left = eta(p.rate, p.total);
      const rate = p.rate && p.rate.perSecond > 0 ? ` ${bytes(p.rate.perSecond)}/s` : '';
      return { text: `pulling ${bytes(p.current)}/${bytes(p.total)}${rate}${left !== undefined ? ` ${duration(left)}` : ''}`, tone: 'busy' };
    }
    case 'building':
      return { text: r.build && r.build.steps > 0 ? `building step ${r.build.step}/${r.build.steps}` : 'building', tone: 'busy' };
    case 'waiting':
      return { text: `waiting for ${r.detail || 'dependencies'}`, tone: 'busy' };
    case 'running':
      if (r.health === 'healthy') return { text: 'healthy', tone: 'good' };
      if (r.health === 'unhealthy') return { text: `unhealthy${r.lastProbe ? `: ${r.lastProbe.replace(/\s+/g, ' ')}` : ''}`, tone: 'bad' };
      if (r.health === 'starting') return { text: 'running (health: starting)', tone: 'busy' };
      return { text: 'running', tone: 'good' };
    case 'restarting': {
      const next = r.restartAt !== undefined ? `, next in ${duration(Math.max(0, r.restartAt - now) + 999)}` : '';
      return { text: `restarting (attempt ${r.attempt ?? r.restarts + 1}${next})`, tone: 'busy' };
    }
    case 'exited':
      return { text: `exited (${r.exitCode ?? 0})`, tone: (r.exitCode ?? 0) === 0 ? 'idle' : 'bad' };
    case 'oom-killed':
      return { text: `OOM-killed (${r.exitCode ?? 137})`, tone: 'bad' };
    case 'error':
      return { text: `error: ${r.detail ?? ''}`, tone: 'bad' };
    case 'created':
      return { text: r.pull?.done ? 'pulled' : 'created', tone: 'idle' };
    case 'stopped':
    case 'paused':
      return { text: r.phase, tone: 'idle' };
    default:
      return { text: r.phase, tone: 'busy' };
  }
}

export const TONE_COLOR: Readonly<Record<Tone, string>> = { good: 'green', bad: 'red', busy: 'yellow', idle: 'gray' };
