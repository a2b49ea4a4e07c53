import type { Command } from '../command.js';

/**
 * The command table. Each entry loads its module lazily, so `berth X` loads only what X
 * needs (CLI start time is part of container start latency).
 * Groups (`container`, `image`) have their own tables.
 */
export interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<{ command: Command }>;
}

export interface GroupEntry {
  readonly summary: string;
  readonly group: Readonly<Record<string, CommandEntry>>;
}

export const commands: Readonly<Record<string, CommandEntry | GroupEntry>> = {
  config: { summary: 'Parse, resolve and render the compose file in canonical format', load: () => import('./config.js') },
  version: { summary: 'Show the berth version information', load: () => import('./version.js') },
};
