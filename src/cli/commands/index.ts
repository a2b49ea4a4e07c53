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
  container: {
    summary: "Manage single containers (berth's own runtime, outside compose projects)",
    group: {
      commit: { summary: "Create a new image from a container's changes", load: () => import('./container/commit.js') },
      create: { summary: 'Create a new container', load: () => import('./container/create.js') },
      exec: { summary: 'Execute a command in a running container', load: () => import('./container/exec.js') },
      inspect: { summary: 'Display detailed information on one or more containers', load: () => import('./container/inspect.js') },
      kill: { summary: 'Kill one or more running containers', load: () => import('./container/kill.js') },
      logs: { summary: 'Fetch the logs of a container', load: () => import('./container/logs.js') },
      ls: { summary: 'List containers', load: () => import('./container/ls.js') },
      pause: { summary: 'Pause all processes within one or more containers', load: () => import('./container/pause.js') },
      rm: { summary: 'Remove one or more containers', load: () => import('./container/rm.js') },
      run: { summary: 'Run a command in a new container', load: () => import('./container/run.js') },
      start: { summary: 'Start one or more created or stopped containers', load: () => import('./container/start.js') },
      stats: { summary: "Display a snapshot of containers' resource usage", load: () => import('./container/stats.js') },
      stop: { summary: 'Stop one or more running containers', load: () => import('./container/stop.js') },
      unpause: { summary: 'Unpause all processes within one or more containers', load: () => import('./container/unpause.js') },
      wait: { summary: 'Block until one or more containers stop, then print their exit codes', load: () => import('./container/wait.js') },
    },
  },
  config: { summary: 'Parse, resolve and render the compose file in canonical format', load: () => import('./config.js') },
  convert: { summary: 'Convert the project to Kubernetes manifests', load: () => import('./convert.js') },
  deploy: { summary: 'Deploy the project to Docker Swarm or Kubernetes', load: () => import('./deploy.js') },
  image: {
    summary: 'Manage images',
    group: {
      build: { summary: 'Build an image from a Dockerfile', load: () => import('./image/build.js') },
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
  network: {
    summary: 'Manage networks',
    group: {
      create: { summary: 'Create a network (for `external: true` in compose files)', load: () => import('./network/create.js') },
      inspect: { summary: 'Display detailed information on one or more networks', load: () => import('./network/inspect.js') },
      ls: { summary: 'List networks', load: () => import('./network/ls.js') },
      rm: { summary: 'Remove one or more networks', load: () => import('./network/rm.js') },
    },
  },
  build: { summary: 'Build or rebuild services', load: () => import('./build.js') },
  commit: { summary: "Create a new image from a service container's changes", load: () => import('./commit.js') },
  login: { summary: 'Log in to a registry', load: () => import('./login.js') },
  logout: { summary: 'Log out from a registry', load: () => import('./logout.js') },
  pull: { summary: 'Pull service images', load: () => import('./pull.js') },
  push: { summary: 'Push service images', load: () => import('./push.js') },
  version: { summary: 'Show the berth version information', load: () => import('./version.js') },
  // engine verbs (issue 6)
  dashboard: { summary: 'Show the live dashboard of a running project (services, logs, keys)', load: () => import('./dashboard.js') },
  attach: { summary: "Attach local standard input, output, and error streams to a service's running container", load: () => import('./attach.js') },
  export: { summary: "Export a service container's filesystem as a tar archive", load: () => import('./export.js') },
  volumes: { summary: 'List volumes', load: () => import('./volumes.js') },
  cp: { summary: 'Copy files/folders between a service container and the local filesystem', load: () => import('./cp.js') },
  events: { summary: 'Receive real time events from containers', load: () => import('./events.js') },
  images: { summary: 'List images used by the created containers', load: () => import('./images.js') },
  port: { summary: 'Print the public port for a port binding', load: () => import('./port.js') },
  scale: { summary: 'Scale services', load: () => import('./scale.js') },
  stats: { summary: 'Display resource usage statistics of containers', load: () => import('./stats.js') },
  top: { summary: 'Display the running processes', load: () => import('./top.js') },
  wait: { summary: 'Block until the first service container stops', load: () => import('./wait.js') },
  create: { summary: 'Creates containers for a service', load: () => import('./create.js') },
  down: { summary: 'Stop and remove containers, networks', load: () => import('./down.js') },
  exec: { summary: 'Execute a command in a running container', load: () => import('./exec.js') },
  info: { summary: 'Display system-wide information', load: () => import('./info.js') },
  kill: { summary: 'Force stop service containers', load: () => import('./kill.js') },
  logs: { summary: 'View output from containers', load: () => import('./logs.js') },
  ls: { summary: 'List running compose projects', load: () => import('./ls.js') },
  pause: { summary: 'Pause services', load: () => import('./pause.js') },
  ps: { summary: 'List containers', load: () => import('./ps.js') },
  restart: { summary: 'Restart service containers', load: () => import('./restart.js') },
  rm: { summary: 'Removes stopped service containers', load: () => import('./rm.js') },
  run: { summary: 'Run a one-off command on a service', load: () => import('./run.js') },
  start: { summary: 'Start services', load: () => import('./start.js') },
  stop: { summary: 'Stop services', load: () => import('./stop.js') },
  unpause: { summary: 'Unpause services', load: () => import('./unpause.js') },
  up: { summary: 'Create and start containers', load: () => import('./up.js') },
  watch: { summary: 'Watch build context for service and rebuild/refresh containers when files are updated', load: () => import('./watch.js') },
};
