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
  image: {
    summary: 'Manage images',
    group: {
      import: { summary: 'Import the contents from a tarball to create a filesystem image', load: () => import('./image/import.js') },
      inspect: { summary: 'Display detailed information on one or more images', load: () => import('./image/inspect.js') },
      load: { summary: 'Load an image from a tar archive', load: () => import('./image/load.js') },
      ls: { summary: 'List images', load: () => import('./image/ls.js') },
      prune: { summary: 'Remove unused images', load: () => import('./image/prune.js') },
      pull: { summary: 'Download an image from a registry', load: () => import('./image/pull.js') },
      push: { summary: 'Upload an image to a registry', load: () => import('./image/push.js') },
      rm: { summary: 'Remove one or more images', load: () => import('./image/rm.js') },
      save: { summary: 'Save one or more images to a tar archive', load: () => import('./image/save.js') },
      tag: { summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', load: () => import('./image/tag.js') },
    },
  },
  login: { summary: 'Log in to a registry', load: () => import('./login.js') },
  logout: { summary: 'Log out from a registry', load: () => import('./logout.js') },
  pull: { summary: 'Pull service images', load: () => import('./pull.js') },
  push: { summary: 'Push service images', load: () => import('./push.js') },
  version: { summary: 'Show the berth version information', load: () => import('./version.js') },
};
