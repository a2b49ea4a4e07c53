// Public types of the builder: what to build, what it reports, what it returns.
import type { LocalImage } from '../image/index.js';
import type { RunNetwork } from './instructions.js';

export interface BuildRequest {
  /** Absolute path of the build context directory. */
  readonly context: string;
  /** Dockerfile path, relative to the context or absolute (default `Dockerfile`). */
  readonly dockerfile?: string;
  /** Dockerfile text given inline (compose `dockerfile_inline`); wins over `dockerfile`. */
  readonly dockerfileInline?: string;
  /** Names for the result (the first is the main one); may be empty (untagged). */
  readonly tags: readonly string[];
  readonly target?: string;
  /** `--build-arg`: a value, or undefined to take it from `env`. */
  readonly buildArgs?: Readonly<Record<string, string | null | undefined>>;
  /** Where `--build-arg NAME` without a value is looked up. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Labels added to the final image. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly noCache?: boolean;
  /**
   * RUN's network unless a RUN names its own (compose `build.network`): `default` (a build
   * bridge with outbound NAT, each RUN in its own netns), `host`, `none`. Default `default`.
   */
  readonly network?: RunNetwork;
  /**
   * Entitlements granted to the build (BuildKit's `--allow`, compose `build.entitlements`):
   * `network.host` lets RUN use the host's network.
   */
  readonly allow?: readonly string[];
  /** Pull FROM images even when present locally. */
  readonly pull?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: BuildEvent) => void;
}

export type BuildEvent =
  /** A FROM image is being pulled. */
  | { readonly type: 'pull'; readonly image: string }
  /** An instruction starts (`cached` when its layer came from the cache). */
  | { readonly type: 'step'; readonly step: number; readonly total: number; readonly stage: string; readonly text: string; readonly cached: boolean }
  /** One line a RUN printed. */
  | { readonly type: 'output'; readonly step: number; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'done'; readonly id: string; readonly tags: readonly string[]; readonly cached: boolean };

export interface BuildResult {
  readonly image: LocalImage;
  /** Every instruction (and the final image) came from the cache. */
  readonly cached: boolean;
  /** Steps executed / taken from the cache. */
  readonly steps: { readonly run: number; readonly cached: number };
}
