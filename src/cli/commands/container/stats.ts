import type { Command } from '../../command.js';

export const command: Command = {
  usage: 'berth container stats CONTAINER [CONTAINER...]',
  summary: "Display a snapshot of containers' resource usage",
  args: { min: 1 },
  flags: [],
  async run(ctx) {
    const containers = await ctx.backend.containers();
    ctx.stdout.write('CONTAINER      MEM USAGE / LIMIT        CPU TIME     PIDS\n');
    for (const ref of ctx.args) {
      const s = await containers.stats(ref);
      const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)}MiB`;
      ctx.stdout.write(
        `${s.id.slice(0, 12).padEnd(15)}${`${mib(s.memoryBytes)} / ${s.memoryLimitBytes ? mib(s.memoryLimitBytes) : 'unlimited'}`.padEnd(25)}${`${(s.cpuNanos / 1e9).toFixed(2)}s`.padEnd(13)}${s.pids}\n`,
      );
    }
    return 0;
  },
};
