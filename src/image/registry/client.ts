// A small OCI distribution v2 client for one repository at one endpoint: auth (anonymous,
// Bearer token, Basic), manifests and blobs (GETs streamed over node:http, http-get.ts;
// redirects followed), uploads (fetch).
import { BerthError } from '../../errors.js';
import { basicHeader, parseChallenges, type Credentials } from './auth.js';
import { httpGet, type GetResponse } from './http-get.js';

export interface ClientOptions {
  /** `https://registry-1.docker.io`, `http://127.0.0.1:5000` */
  readonly endpoint: string;
  readonly repository: string;
  /** Registry name for messages (`docker.io`). */
  readonly registry: string;
  readonly credentials: Credentials | undefined;
  /** May the credentials go to this URL (the endpoint, a token realm)? See mayCarryCredentials. */
  readonly credentialsTo: (url: string) => boolean;
  readonly actions: 'pull' | 'pull,push';
  readonly signal?: AbortSignal;
}

export class RegistryClient {
  readonly o: ClientOptions;
  private authorization: string | undefined;

  constructor(o: ClientOptions) {
    this.o = o;
  }

  url(path: string): string {
    return `${this.o.endpoint}/v2/${this.o.repository}/${path}`;
  }

  /** fetch with auth: on a 401 answers the challenge once and retries. */
  async fetch(url: string, init: RequestInit = {}, retryBody?: () => RequestInit['body']): Promise<Response> {
    const send = (): Promise<Response> => {
      const headers = new Headers(init.headers);
      if (this.authorization) headers.set('authorization', this.authorization);
      return this.raw(url, { ...init, headers });
    };
    const retry = (): void => {
      if (retryBody) init = { ...init, body: retryBody() ?? null };
    };
    return this.withAuth(send, (res) => res.body?.cancel(), retry);
  }

  /** Sends; on a 401 answers the challenge once and sends again (after `beforeRetry`): a second 401 is `image/unauthorized`. */
  private async withAuth<R extends { readonly status: number; readonly headers: { get(name: string): string | null } }>(
    send: () => Promise<R>,
    cancel: (res: R) => Promise<unknown> | undefined,
    beforeRetry?: () => void,
  ): Promise<R> {
    let res = await send();
    if (res.status !== 401) return res;
    const challenge = res.headers.get('www-authenticate');
    await cancel(res);
    await this.authenticate(challenge);
    beforeRetry?.();
    res = await send();
    if (res.status === 401) {
      await cancel(res);
      throw this.unauthorized();
    }
    return res;
  }

  async raw(url: string, init: RequestInit): Promise<Response> {
    // blobs are hashed byte for byte: never let fetch undo a Content-Encoding
    const headers = new Headers(init.headers);
    if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'identity');
    headers.set('user-agent', 'berth');
    try {
      return await fetch(url, { redirect: 'follow', ...init, headers, signal: this.o.signal ?? null, duplex: init.body ? 'half' : undefined } as RequestInit);
    } catch (err) {
      throw this.unreachable(err);
    }
  }

  /**
   * A GET, streamed (node:http, see http-get.ts), with auth as `fetch`: on a 401 answers the
   * challenge once and retries. `headers`: lower-case names (`range`, `accept`).
   */
  async get(url: string, headers: Readonly<Record<string, string>> = {}): Promise<GetResponse> {
    const send = (): Promise<GetResponse> => this.rawGet(url, { ...headers, ...(this.authorization ? { authorization: this.authorization } : {}) });
    return this.withAuth(send, (res) => res.cancel());
  }

  private async rawGet(url: string, headers: Readonly<Record<string, string>>): Promise<GetResponse> {
    try {
      // blobs are hashed byte for byte: no Content-Encoding
      return await httpGet(url, { ...headers, 'accept-encoding': 'identity', 'user-agent': 'berth' }, this.o.signal);
    } catch (err) {
      throw this.unreachable(err);
    }
  }

  /** A network error as a typed one (the abort's own reason when aborted). */
  private unreachable(err: unknown): unknown {
    if (this.o.signal?.aborted) return this.o.signal.reason;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as { code?: string }).code ?? (err as Error).message;
    return new BerthError('image/registry-unreachable', `registry ${this.o.registry} (${this.o.endpoint}) is unreachable: ${why}`, {
      cause: err,
      hint: 'check the network, the registry address, and BERTH_REGISTRY_MIRRORS / BERTH_INSECURE_REGISTRIES',
    });
  }

  private unauthorized(): BerthError {
    return new BerthError('image/unauthorized', `registry ${this.o.registry}: access to ${this.o.repository} denied`, {
      hint: this.o.credentials ? 'check the credentials stored by `berth login`' : `run 'berth login ${this.o.registry}' if the repository is private`,
    });
  }

  /** The credentials, when they may go to `url`; a typed error otherwise (never sent in clear). */
  private checkedCredentials(url: string): Credentials {
    if (!this.o.credentialsTo(url)) {
      throw new BerthError('image/insecure-credentials', `registry ${this.o.registry}: credentials are not sent over plain HTTP (${new URL(url).origin})`, {
        hint: 'use https, or name the host in BERTH_INSECURE_REGISTRIES to allow it',
      });
    }
    return this.o.credentials!;
  }

  private async authenticate(header: string | null): Promise<void> {
    const challenges = parseChallenges(header);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) {
      const realm = bearer.params.realm;
      if (!realm) throw new BerthError('image/auth-failed', `registry ${this.o.registry}: Bearer challenge without realm`);
      const u = new URL(realm);
      if (bearer.params.service) u.searchParams.set('service', bearer.params.service);
      if (this.o.repository) u.searchParams.set('scope', `repository:${this.o.repository}:${this.o.actions}`);
      const headers: Record<string, string> = {};
      if (this.o.credentials) headers.authorization = basicHeader(this.checkedCredentials(u.toString()));
      const res = await this.rawGet(u.toString(), headers);
      if (res.status === 401 || res.status === 403) {
        await res.cancel();
        throw this.unauthorized();
      }
      if (!res.ok) {
        await res.cancel();
        throw new BerthError('image/auth-failed', `registry ${this.o.registry}: token server ${u.origin} answered ${res.status}`);
      }
      const json = (await res
        .text()
        .then((t) => JSON.parse(t) as unknown)
        .catch(() => ({}))) as { token?: unknown; access_token?: unknown };
      const token = typeof json.token === 'string' ? json.token : typeof json.access_token === 'string' ? json.access_token : undefined;
      if (!token) throw new BerthError('image/auth-failed', `registry ${this.o.registry}: token server gave no token`);
      this.authorization = `Bearer ${token}`;
      return;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (!this.o.credentials) throw this.unauthorized();
      this.authorization = basicHeader(this.checkedCredentials(this.o.endpoint));
      return;
    }
    throw this.unauthorized();
  }

  /** Turns a non-2xx answer into an error naming the object. */
  async fail(res: Pick<Response, 'status' | 'statusText' | 'text'>, what: string): Promise<never> {
    const text = await res.text().catch(() => '');
    let detail = '';
    try {
      const j = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
      detail = j.errors?.map((e) => `${e.code}: ${e.message}`).join('; ') ?? '';
    } catch {
      detail = text.slice(0, 200);
    }
    const code = res.status === 404 ? 'image/not-found' : res.status === 401 || res.status === 403 ? 'image/unauthorized' : 'image/registry-error';
    throw new BerthError(code, `registry ${this.o.registry}: ${what}: ${res.status} ${res.statusText}${detail ? ` (${detail})` : ''}`, {
      details: { status: res.status },
    });
  }
}
