import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyArgs, runArgs } from '../../src/build/instructions.js';
import { parseDockerfile } from '../../src/build/parse.js';
import { BerthError } from '../../src/errors.js';

const inst = (line: string) => parseDockerfile(`FROM x\n${line}`).stages[0]!.instructions[0]!;
const env = (n: string) => ({ DIR: '/opt/app', F: 'file.txt' })[n];

test('RUN: shell and exec form, SHELL, heredoc script, flags', () => {
  assert.equal(runArgs(inst('RUN echo $HOME'), {}).args, ['/bin/sh', '-c', 'echo $HOME'], 'no substitution: the shell does it');
  assert.equal(runArgs(inst('RUN ["echo", "a"]'), {}).args, ['echo', 'a']);
  assert.equal(runArgs(inst('RUN x'), { Shell: ['/bin/bash', '-ec'] }).args, ['/bin/bash', '-ec', 'x']);
  assert.equal(runArgs(inst('RUN <<EOF\na\nb\nEOF'), {}).args, ['/bin/sh', '-c', 'a\nb\n']);
  assert.equal(runArgs(inst('RUN cat <<EOF > /f\nhi\nEOF'), {}).args, ['/bin/sh', '-c', 'cat <<EOF > /f\nhi\nEOF']);
  const r = runArgs(inst('RUN --network=none --mount=type=cache,target=/root/.cache true'), {});
  assert.is(r.network, 'none');
  assert.is(runArgs(inst('RUN true'), {}).network, undefined, 'no flag: the build decides');
  assert.is(runArgs(inst('RUN --network=host true'), {}).network, 'host');
  assert.throws(
    () => runArgs(inst('RUN --network=bridge true'), {}),
    (e: Error) => e instanceof BerthError && /not supported/.test(e.message),
  );
  assert.equal(r.ignoredMounts, ['type=cache,target=/root/.cache']);
  assert.throws(
    () => runArgs(inst('RUN --mount=type=secret,id=x true'), {}),
    (e: Error) => e instanceof BerthError && /not supported/.test(e.message),
  );
});

test('COPY/ADD: substitution, relative destinations, flags, URLs refused', () => {
  const a = copyArgs(inst('COPY --chown=app:app --chmod=0640 $F "with space" ${DIR}/'), env, '\\', '/w');
  assert.equal(a.sources, ['file.txt', 'with space']);
  assert.is(a.dest, '/opt/app/');
  assert.is(a.chown, 'app:app');
  assert.equal(a.chmod, { text: '0640', mode: 0o640 });
  assert.is(copyArgs(inst('COPY a rel'), env, '\\', '/w').dest, '/w/rel');
  assert.is(copyArgs(inst('COPY a .'), env, '\\', '/w').dest, '/w/');
  assert.is(copyArgs(inst('COPY ["a b", "/d/"]'), env, '\\', undefined).sources[0], 'a b');
  assert.is(copyArgs(inst('COPY --from=build /x /y'), env, '\\', undefined).from, 'build');
  const h = copyArgs(inst('COPY <<EOF /etc/motd\nhi\nEOF'), env, '\\', undefined);
  assert.equal([h.sources, h.inline, h.dest], [[], [{ name: 'EOF', content: 'hi\n' }], '/etc/motd']);
  assert.throws(() => copyArgs(inst('ADD https://example.com/x /x'), env, '\\', undefined), /from a URL/);
  assert.throws(() => copyArgs(inst('ADD --chmod=999 a /x'), env, '\\', undefined), /invalid --chmod/);
  assert.throws(() => copyArgs(inst('COPY --parents a /x'), env, '\\', undefined), /--parents is not supported/);
});

test.run();
