/**
 * Every label and annotation key berth puts on containers, networks and volumes, in one
 * place. `down`, `ps` and `logs` find a project's objects by these labels alone, so they
 * work without the compose file (`berth -p NAME down`).
 */
export const Labels = {
  project: 'berth.project',
  service: 'berth.service',
  containerNumber: 'berth.container-number',
  configHash: 'berth.config-hash',
  oneoff: 'berth.oneoff',
  workingDir: 'berth.working-dir',
  configFiles: 'berth.config-files',
  /** Image id (config digest) the container was created from: a change recreates it. */
  image: 'berth.image',
  /** The image as the compose file names it (`busybox:1.36`), for `ps` and `images`. */
  imageName: 'berth.image-name',
  /** berth version that created the object. */
  version: 'berth.version',
  /** Network or volume key as written in the compose file (`default`, `back`). */
  network: 'berth.network',
  volume: 'berth.volume',
  /** `depends_on` edges of the service (`db:service_healthy:true`), for `down -p` ordering. */
  dependsOn: 'berth.depends-on',
} as const;

export type LabelKey = (typeof Labels)[keyof typeof Labels];

/** Labels that identify a project's object; values are plain strings. */
export type LabelSet = Readonly<Record<string, string>>;

/** True when the labels mark an object of `project`. */
export function belongsTo(labels: LabelSet | undefined, project: string): boolean {
  return labels?.[Labels.project] === project;
}
