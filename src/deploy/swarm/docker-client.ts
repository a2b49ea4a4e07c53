/**
 * The Docker Engine API over its unix socket: plain HTTP/1.1 with node:http's socketPath,
 * JSON in and out. A handful of calls is all the swarm backend needs, so no client library
 * (dockerode would bring docker-modem, ssh2 and tar-fs for them). Errors become one-line
 * BerthErrors carrying the daemon's message and the HTTP status.
 */
import { BerthError } from '../../errors.js';
const { request } = process.getBuiltinModule('node:http');

/** API version 1.41 (Docker 20.10): every call berth makes exists there. */
const API = '/v1.41';

export interface DockerClient {
  call<T = unknown>(method: string, path: string, options?: { body?: unknown; query?: Readonly<Record<string, string>>; ok404?: boolean }): Promise<T | undefined>;
}

export class DockerApiError extends BerthError {
  readonly status: number;
  constructor(status: number, what: string, message: string) {
    super('deploy/docker-api', `docker: ${what}: ${message}`, { details: { status } });
    this.status = status;
  }
}

/** The socket from DOCKER_HOST (unix:// only) or the default. */
export function dockerSocket(env: Readonly<Record<string, string | undefined>>, explicit?: string): string {
  if (explicit) return explicit;
  const host = env.DOCKER_HOST;
  if (host === undefined || host === '') return '/var/run/docker.sock';
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new BerthError('deploy/docker-host', `DOCKER_HOST ${host}: only unix:// sockets are supported`);
}

export function dockerClient(socketPath: string, signal?: AbortSignal): DockerClient {
  return {
    call<T>(method: string, path: string, options: { body?: unknown; query?: Readonly<Record<string, string>>; ok404?: boolean } = {}): Promise<T | undefined> {
      const qs = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
      const what = `${method} ${path}`;
      const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
      return new Promise<T | undefined>((resolve, reject) => {
        const req = request(
          {
            socketPath,
            method,
            path: `${API}${path}${qs}`,
            headers: { host: 'docker', ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) },
            ...(signal ? { signal } : {}),
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const status = res.statusCode ?? 0;
              if (status === 404 && options.ok404) return resolve(undefined);
              if (status >= 400) {
                let message = text.trim();
                try {
                  message = String((JSON.parse(text) as { message?: string }).message ?? message);
                } catch {
                  // not JSON: the text is the message
                }
                return reject(new DockerApiError(status, what, message.split('\n')[0] ?? ''));
              }
              try {
                resolve(text === '' ? undefined : (JSON.parse(text) as T));
              } catch {
                resolve(text as T);
              }
            });
          },
        );
        req.on('error', (err) =>
          reject(new BerthError('deploy/docker-unreachable', `docker: cannot reach the daemon at ${socketPath}: ${err.message}`, { cause: err, hint: 'is dockerd running (and a swarm manager)?' })),
        );
        req.end(body);
      });
    },
  };
}

/** `{"label":["k=v"]}` as the `filters` query parameter. */
export function labelFilter(key: string, value: string): Record<string, string> {
  return { filters: JSON.stringify({ label: [`${key}=${value}`] }) };
}
