import type { Command } from '../command.js';
import { engineFor, sourceOf, table } from './compose-shared.js';

export const command: Command = {
  usage: 'berth top [SERVICE...]',
  summary: 'Display the running processes',
  flags: [],
  async run(ctx) {
    const engine = await engineFor(ctx);
    const result = await engine.top({ source: sourceOf(ctx), services: ctx.args, signal: ctx.signal });
    const out: string[] = [];
    for (const r of result) {
      out.push(
        `${r.container}\n${table(
          ['UID', 'PID', 'PPID', 'STIME', 'TIME', 'CMD'],
          r.processes.map((p) => [String(p.uid), String(p.pid), String(p.ppid), p.stime, p.time, p.cmd]),
        )}`,
      );
    }
    ctx.stdout.write(out.join('\n'));
    return 0;
  },
};
