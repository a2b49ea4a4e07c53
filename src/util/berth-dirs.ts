/** berth's state root (images, containers, volumes, networks, projects): `BERTH_ROOT`, default /var/lib/berth. */
export const DEFAULT_BERTH_ROOT = '/var/lib/berth';
/** Runtime-only state (pid files, netns bind mounts): `BERTH_RUN`, default /run/berth. */
export const DEFAULT_BERTH_RUN = '/run/berth';

type Env = Readonly<Record<string, string | undefined>>;

export const berthRoot = (env: Env): string => env.BERTH_ROOT ?? DEFAULT_BERTH_ROOT;
export const berthRun = (env: Env): string => env.BERTH_RUN ?? DEFAULT_BERTH_RUN;
