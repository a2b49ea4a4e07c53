/**
 * A FAKE Kubernetes API server (node:http, in-process) for berth's apply/prune tests. It
 * is not a conformance test of anything: it serves discovery for the kinds berth makes,
 * stores objects in memory, and records and CHECKS what a real server would insist on for
 * server-side apply (content type application/apply-patch+yaml, a fieldManager) and what
 * berth promises (fieldManager berth, label selectors on lists). A Deployment or
 * StatefulSet reports itself rolled out on its second read.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Resource {
  readonly name: string;
  readonly kind: string;
}
const RESOURCES: Readonly<Record<string, readonly Resource[]>> = {
  '/api/v1': [
    { name: 'configmaps', kind: 'ConfigMap' },
    { name: 'secrets', kind: 'Secret' },
    { name: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim' },
    { name: 'services', kind: 'Service' },
    { name: 'pods', kind: 'Pod' },
  ],
  '/apis/apps/v1': [
    { name: 'deployments', kind: 'Deployment' },
    { name: 'statefulsets', kind: 'StatefulSet' },
  ],
  '/apis/networking.k8s.io/v1': [{ name: 'networkpolicies', kind: 'NetworkPolicy' }],
};

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
}

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; generation?: number }; spec?: { replicas?: number }; status?: unknown };

export class FakeKubeApi {
  readonly requests: Recorded[] = [];
  /** Violations of the apply contract, as text (a test asserts this stays empty). */
  readonly violations: string[] = [];
  /** Stored objects by `<group-version path>/<namespace>/<plural>/<name>`. */
  readonly objects = new Map<string, Obj>();
  readonly #reads = new Map<string, number>();
  #server: Server | undefined;
  kubeconfig = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as { port: number };
    const dir = mkdtempSync(join(tmpdir(), 'berth-fake-kube-'));
    this.kubeconfig = join(dir, 'config');
    writeFileSync(
      this.kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: fake, cluster: {server: "http://127.0.0.1:' + port + '", insecure-skip-tls-verify: true}}]',
        'users: [{name: tester, user: {token: fake-token}}]',
        'contexts: [{name: fake, context: {cluster: fake, user: tester, namespace: berth-test}}, {name: other, context: {cluster: fake, user: tester}}]',
        'current-context: other',
        '',
      ].join('\n'),
    );
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  /** Puts an object in the store as if someone had created it. */
  seed(groupVersionPath: string, plural: string, obj: Obj): void {
    this.objects.set(`${groupVersionPath}/${obj.metadata.namespace}/${plural}/${obj.metadata.name}`, obj);
  }

  names(kind?: string): string[] {
    return [...this.objects.values()]
      .filter((o) => kind === undefined || o.kind === kind)
      .map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)
      .sort();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method ?? '', path: url.pathname, query, contentType: req.headers['content-type'] });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const send = (code: number, value: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== 'Bearer fake-token') return send(401, { kind: 'Status', message: 'no token' });
    if (req.method === 'GET' && RESOURCES[url.pathname]) {
      return send(200, {
        kind: 'APIResourceList',
        groupVersion: url.pathname.replace(/^\/apis?\//, ''),
        resources: RESOURCES[url.pathname]!.map((r) => ({ name: r.name, kind: r.kind, namespaced: true, singularName: '', verbs: ['get', 'list', 'patch', 'delete'] })),
      });
    }
    const m = /^(\/api\/v1|\/apis\/[^/]+\/v1)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return send(404, { kind: 'Status', message: `no route ${url.pathname}` });
    const [, gv, ns, plural, name] = m as unknown as [string, string, string, string, string | undefined];
    const key = `${gv}/${ns}/${plural}/${name}`;
    if (req.method === 'PATCH' && name) {
      if (req.headers['content-type'] !== 'application/apply-patch+yaml') this.violations.push(`PATCH ${key}: content type ${req.headers['content-type']}`);
      if (query.fieldManager !== 'berth') this.violations.push(`PATCH ${key}: fieldManager ${query.fieldManager}`);
      const obj = JSON.parse(body) as Obj; // JSON is YAML: the client sends JSON under the apply type
      if (obj.metadata.name !== name || (obj.metadata.namespace ?? ns) !== ns) this.violations.push(`PATCH ${key}: body names ${obj.metadata.namespace}/${obj.metadata.name}`);
      const prev = this.objects.get(key);
      const changed = JSON.stringify(prev?.spec) !== JSON.stringify(obj.spec);
      const stored = { ...obj, metadata: { ...obj.metadata, namespace: ns, generation: (prev?.metadata.generation ?? 0) + (changed || !prev ? 1 : 0) } };
      this.objects.set(key, stored);
      this.#reads.set(key, 0);
      return send(prev ? 200 : 201, stored);
    }
    if (req.method === 'GET' && name) {
      const obj = this.objects.get(key);
      if (!obj) return send(404, { kind: 'Status', message: `${plural} "${name}" not found` });
      const reads = (this.#reads.get(key) ?? 0) + 1;
      this.#reads.set(key, reads);
      if (obj.kind === 'Deployment' || obj.kind === 'StatefulSet') {
        const want = obj.spec?.replicas ?? 1;
        const ready = reads >= 2 ? want : 0;
        return send(200, { ...obj, status: { observedGeneration: obj.metadata.generation, replicas: want, updatedReplicas: ready, readyReplicas: ready, availableReplicas: ready } });
      }
      return send(200, obj);
    }
    if (req.method === 'GET') {
      const selector = query.labelSelector;
      if (selector === undefined) this.violations.push(`LIST ${gv}/${ns}/${plural} without a label selector`);
      const want = (selector ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => kv.split('=') as [string, string]);
      const items = [...this.objects.entries()]
        .filter(([k]) => k.startsWith(`${gv}/${ns}/${plural}/`))
        .map(([, o]) => o)
        .filter((o) => want.every(([k, v]) => o.metadata.labels?.[k] === v));
      return send(200, { kind: 'List', apiVersion: gv.replace(/^\/apis?\//, ''), metadata: {}, items });
    }
    if (req.method === 'DELETE' && name) {
      if (!this.objects.delete(key)) return send(404, { kind: 'Status', message: `${plural} "${name}" not found` });
      return send(200, { kind: 'Status', status: 'Success' });
    }
    return send(405, { kind: 'Status', message: `${req.method} not supported by the fake` });
  }
}
