import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';

export const command: Command = {
  usage: 'berth login [OPTIONS] [SERVER]',
  summary: 'Log in to a registry',
  flags: [
    { name: 'username', short: 'u', type: 'string', value: 'USER', help: 'Username' },
    { name: 'password', short: 'p', type: 'string', value: 'PASSWORD', help: 'Password (prefer --password-stdin)' },
    { name: 'password-stdin', type: 'bool', help: 'Take the password from stdin' },
  ],
  args: { min: 0, max: 1 },
  async run(ctx) {
    const user = ctx.flags.username;
    if (typeof user !== 'string' || user === '') throw new UsageError('berth login: --username is required (berth does not prompt)');
    let password = typeof ctx.flags.password === 'string' ? ctx.flags.password : undefined;
    if (ctx.flags['password-stdin']) {
      let text = '';
      for await (const chunk of ctx.stdin) text += String(chunk);
      password = text.replace(/\r?\n$/, '');
    }
    if (password === undefined || password === '') throw new UsageError('berth login: a password is required: use --password-stdin or --password');
    await (await ctx.backend.images()).login(ctx.args[0] ?? 'docker.io', user, password, ctx.signal);
    ctx.stdout.write('Login Succeeded\n');
    return 0;
  },
};
