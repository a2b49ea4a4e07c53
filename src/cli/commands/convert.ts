import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, sourceOf, str } from './compose-shared.js';
const { mkdirSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { join, resolve } = process.getBuiltinModule('node:path');

export const command: Command = {
  usage: 'berth convert --format kubernetes [-o DIR]',
  summary: 'Convert the project to Kubernetes manifests',
  flags: [
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Output format: kubernetes' },
    { name: 'output', short: 'o', type: 'string', value: 'DIR', help: 'Write one file per object into DIR (default: one YAML stream on stdout)' },
    { name: 'strict', type: 'bool', help: 'Refuse anything that is not mapped exactly' },
  ],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const format = str(ctx, 'format') ?? 'kubernetes';
    if (format !== 'kubernetes') throw new UsageError(`berth convert: unsupported format "${format}"`, { hint: 'use --format kubernetes' });
    const deployer = await ctx.backend.deployer();
    const files = await deployer.convert({ source: sourceOf(ctx), format, strict: bool(ctx, 'strict') });
    const dir = str(ctx, 'output');
    if (dir === undefined) {
      ctx.stdout.write(files.map((f) => f.text).join('---\n'));
      return 0;
    }
    const out = resolve(ctx.cwd, dir);
    mkdirSync(out, { recursive: true });
    for (const f of files) writeFileSync(join(out, f.name), f.text);
    ctx.stderr.write(`wrote ${files.length} manifests to ${out}\n`);
    return 0;
  },
};
