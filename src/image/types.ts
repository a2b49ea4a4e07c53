// Public types of the image module: references, the local store's view of an image,
// image configs, pull policies and progress events. Imported by engine/runtime/cli.

/** `sha256:<64 hex>` (a content digest). */
export type Digest = string & { readonly __brand: 'Digest' };

/** A parsed image reference, normalized exactly like Docker's (`redis` = `docker.io/library/redis:latest`). */
export interface ImageReference {
  /** Registry host (with port): `docker.io`, `localhost:5000`, `ghcr.io`. */
  readonly registry: string;
  /** Repository path inside the registry: `library/redis`, `org/app`. */
  readonly repository: string;
  /** Tag; `latest` when neither a tag nor a digest was given. */
  readonly tag: string | undefined;
  readonly digest: Digest | undefined;
  /** Canonical full name: `docker.io/library/redis:7`, `ghcr.io/o/a@sha256:...`. */
  readonly canonical: string;
  /** What `docker images` shows: `redis:7`, `localhost:5000/app:1`. */
  readonly familiar: string;
}

/** The parts of an image config that shape a container (OCI `config` object). */
export interface ImageConfig {
  readonly Env?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly Entrypoint?: readonly string[];
  readonly WorkingDir?: string;
  readonly User?: string;
  readonly ExposedPorts?: Readonly<Record<string, object>>;
  readonly Volumes?: Readonly<Record<string, object>>;
  readonly StopSignal?: string;
  readonly Healthcheck?: {
    readonly Test?: readonly string[];
    readonly Interval?: number;
    readonly Timeout?: number;
    readonly StartPeriod?: number;
    readonly StartInterval?: number;
    readonly Retries?: number;
  };
  readonly Labels?: Readonly<Record<string, string>>;
  readonly OnBuild?: readonly string[];
  readonly Shell?: readonly string[];
}

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** An image present in the local store, ready to be used as overlay lowers. */
export interface LocalImage {
  /** Image id: the digest of its config blob (what `docker images` shows as IMAGE ID). */
  readonly id: Digest;
  /** The reference it was asked for / resolved as (undefined when used by id only). */
  readonly reference: ImageReference | undefined;
  /** Manifest digest (the `RepoDigest`), when known. */
  readonly digest: Digest | undefined;
  readonly config: ImageConfig;
  readonly platform: Platform;
  /** Uncompressed layer digests, bottom layer first (OCI `rootfs.diff_ids`). */
  readonly diffIds: readonly Digest[];
  /** Unpacked read-only layer dirs, TOP layer first (as overlay `lowerdir=` wants them). */
  readonly layerDirs: readonly string[];
  readonly created: string | undefined;
  /** Sum of unpacked layer sizes in bytes (approximate, from the store's records). */
  readonly size: number;
  /** All names pointing at this image (`docker.io/library/busybox:1.36`...). */
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
}

export type PullPolicy = 'always' | 'missing' | 'never' | 'build';

/** Registry settings; read by `loadRegistryConfig` from env + berth's config file. */
export interface RegistryConfig {
  /** Mirrors for docker.io, tried in order before registry-1.docker.io (`http://127.0.0.1:5000`). */
  readonly mirrors: readonly string[];
  /** Registries (host[:port] or CIDR-less host) reached over plain HTTP. localhost/127.0.0.1/::1 always are. */
  readonly insecure: readonly string[];
  /** Where credentials are read from (default ~/.docker/config.json, then berth's auth file). */
  readonly authFiles: readonly string[];
  /** Where `berth login` writes (default $BERTH_CONFIG_DIR/auth.json or ~/.config/berth/auth.json). */
  readonly loginFile: string;
}

/** Progress of a pull or push: byte-level, per blob. The library never prints. */
export type ImageProgressEvent =
  | { readonly type: 'resolving'; readonly ref: string }
  | { readonly type: 'resolved'; readonly ref: string; readonly digest: Digest; readonly layers: number }
  | { readonly type: 'layer-exists'; readonly ref: string; readonly digest: Digest }
  | { readonly type: 'layer-start'; readonly ref: string; readonly digest: Digest; readonly total: number; readonly resumedFrom?: number }
  | { readonly type: 'layer-progress'; readonly ref: string; readonly digest: Digest; readonly current: number; readonly total: number }
  | { readonly type: 'layer-verified'; readonly ref: string; readonly digest: Digest }
  | { readonly type: 'layer-unpacked'; readonly ref: string; readonly digest: Digest }
  | { readonly type: 'layer-pushed'; readonly ref: string; readonly digest: Digest }
  | { readonly type: 'done'; readonly ref: string; readonly id: Digest; readonly status: 'pulled' | 'up-to-date' | 'pushed' };

export interface PullOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ImageProgressEvent) => void;
  readonly registryConfig?: RegistryConfig;
  /** Default: the host's platform (`linux/amd64`, `linux/arm64/v8`...). */
  readonly platform?: Platform;
  /** Max parallel layer downloads (default 3). */
  readonly concurrency?: number;
}

export interface EnsureImageOptions extends PullOptions {
  readonly pullPolicy?: PullPolicy;
}

export interface PushOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ImageProgressEvent) => void;
  readonly registryConfig?: RegistryConfig;
}

/** Changes a commit applies to the parent's config (`docker commit --change`-like). */
export interface ConfigChanges {
  readonly Env?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly Entrypoint?: readonly string[];
  readonly WorkingDir?: string;
  readonly User?: string;
  readonly Labels?: Readonly<Record<string, string>>;
  readonly ExposedPorts?: Readonly<Record<string, object>>;
  readonly Volumes?: Readonly<Record<string, object>>;
  readonly StopSignal?: string;
}

export interface CommitOptions {
  /** The container's overlay upper dir. */
  readonly upperDir: string;
  readonly parent: LocalImage;
  /** Name to tag the new image with (optional: untagged image). */
  readonly ref?: string;
  readonly changes?: ConfigChanges;
  readonly comment?: string;
  readonly author?: string;
  /** Paths (absolute inside the container) not committed; default: the init layer's files. */
  readonly exclude?: readonly string[];
}

export interface PruneResult {
  readonly deletedImages: readonly Digest[];
  readonly deletedLayers: number;
  readonly reclaimedBytes: number;
}

export interface RemoveImageResult {
  readonly untagged: readonly string[];
  readonly deleted: readonly Digest[];
}
