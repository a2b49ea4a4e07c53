import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blocking, reportFidelity } from '../../src/deploy/index.js';
import { formatFidelity } from '../../src/ui/index.js';
import { loadProject } from '../../src/spec/index.js';
import { loadFixture } from './fixtures.js';

const verdictOf = (report: ReturnType<typeof reportFidelity>, path: string): string | undefined => report.entries.find((e) => e.path === path)?.verdict;

test('every key the project sets gets a verdict per target, sorted by path', async () => {
  const project = await loadFixture('stack');
  const swarm = reportFidelity(project, 'swarm');
  const kube = reportFidelity(project, 'kubernetes');
  assert.equal(verdictOf(swarm, 'services.web.healthcheck'), 'exact');
  assert.equal(verdictOf(kube, 'services.web.healthcheck'), 'approximate');
  assert.equal(verdictOf(swarm, 'services.worker.depends_on'), 'approximate');
  assert.equal(verdictOf(swarm, 'secrets.token'), 'exact');
  assert.equal(verdictOf(swarm, 'volumes.data'), 'approximate');
  const paths = swarm.entries.map((e) => e.path);
  assert.equal(paths, [...paths].sort());
});

test('--strict blocks everything not exact; refused keys block without it', async () => {
  const project = await loadFixture('minimal');
  const report = reportFidelity(project, 'swarm');
  assert.equal(blocking(report, false), []);
  assert.equal(
    blocking(report, true).map((e) => `${e.path} ${e.verdict}`),
    ['services.Hello_World.container_name dropped', 'services.Hello_World.restart approximate'],
  );
});

test('a bind mount is refused on kubernetes, approximate on swarm; a build without image refused on both', async () => {
  const project = await loadProject({
    files: ['-'],
    env: {},
    cwd: '/tmp',
    readStdin: async () => 'name: p\nservices:\n  a:\n    image: x\n    volumes: ["/srv:/srv"]\n  b:\n    build: .\n',
  });
  const kube = reportFidelity(project, 'kubernetes');
  const swarm = reportFidelity(project, 'swarm');
  assert.equal(verdictOf(kube, 'services.a.volumes'), 'refused');
  assert.equal(verdictOf(swarm, 'services.a.volumes'), 'approximate');
  assert.equal(verdictOf(kube, 'services.b.build'), 'refused');
  assert.equal(verdictOf(swarm, 'services.b.build'), 'refused');
});

test('--explain prints the most serious verdicts first and a count', async () => {
  const text = formatFidelity(reportFidelity(await loadFixture('minimal'), 'kubernetes'));
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'Deploy plan for project minimal_app to kubernetes');
  assert.match(lines[2]!, /^services\.Hello_World\.container_name\s+dropped\s+Kubernetes names pods itself$/);
  assert.equal(lines.at(-1), '2 exact, 3 approximate, 1 dropped, 0 refused');
});

test.run();
