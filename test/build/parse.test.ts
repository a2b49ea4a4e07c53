import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDockerfile } from '../../src/build/parse.js';
import { SpecError } from '../../src/errors.js';

const err = (text: string): string => {
  try {
    parseDockerfile(text);
  } catch (e) {
    assert.instance(e, SpecError);
    return String(e);
  }
  throw new Error('no error');
};

test('continuations, comments, JSON and shell forms, flags, stages', () => {
  const df = parseDockerfile(
    [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=busybox',
      '',
      'FROM $BASE AS Build',
      'RUN echo a \\',
      '  # comment inside a continuation',
      '',
      '  && echo b',
      'COPY --chown=1:1 --chmod=644 a b /dst/',
      'CMD ["sh", "-c", "x"]',
      'from build',
      'entrypoint [not json',
    ].join('\n'),
  );
  assert.is(df.syntax, 'docker/dockerfile:1');
  assert.is(df.escape, '\\');
  assert.is(df.globalArgs.length, 1);
  assert.is(df.stages.length, 2);
  assert.is(df.stages[0]!.name, 'build');
  const [run, copy, cmd] = df.stages[0]!.instructions;
  assert.is(run!.keyword, 'RUN');
  assert.is(run!.args, 'echo a   && echo b');
  assert.is(run!.line, 5);
  assert.is(run!.endLine, 8);
  assert.equal(copy!.flags, [
    ['chown', '1:1'],
    ['chmod', '644'],
  ]);
  assert.is(copy!.args, 'a b /dst/');
  assert.equal(cmd!.json, ['sh', '-c', 'x']);
  const ep = df.stages[1]!.instructions[0]!;
  assert.is(ep.keyword, 'ENTRYPOINT');
  assert.is(ep.json, undefined, 'broken JSON is shell form');
});

test('escape directive: backtick continues lines, backslash is literal', () => {
  const df = parseDockerfile('# escape=`\nFROM scratch\nRUN dir c:\\ `\n  /w\n');
  assert.is(df.escape, '`');
  assert.is(df.stages[0]!.instructions[0]!.args, 'dir c:\\   /w');
});

test('heredocs are collected for RUN and COPY', () => {
  const df = parseDockerfile('FROM busybox\nRUN <<EOF\necho hi\necho there\nEOF\nCOPY <<-"END" /f\n\tline\n\tEND\nCMD x\n');
  const [run, copy, cmd] = df.stages[0]!.instructions;
  assert.equal(run!.heredocs, [{ name: 'EOF', content: 'echo hi\necho there\n', stripTabs: false, quoted: false }]);
  assert.equal(copy!.heredocs, [{ name: 'END', content: 'line\n', stripTabs: true, quoted: true }]);
  assert.is(cmd!.keyword, 'CMD');
  assert.is(cmd!.line, 9);
});

test('errors name file, line and instruction', () => {
  assert.is(err('FROM busybox\nRUNN x'), 'Dockerfile:2: unknown instruction: RUNN');
  assert.is(err('RUN x\nFROM busybox'), 'Dockerfile:1: RUN: no FROM before this instruction: only ARG may come before the first FROM');
  assert.is(err('ARG X'), 'Dockerfile:1: the Dockerfile has no FROM instruction');
  assert.is(err('FROM a AS x\nFROM b AS x'), 'Dockerfile:2: FROM: duplicate stage name "x"');
  assert.is(err('FROM a\nCOPY onlyone'), 'Dockerfile:2: COPY: COPY requires at least two arguments: source and destination');
  assert.is(err('FROM a\nSHELL /bin/bash -c'), 'Dockerfile:2: SHELL: SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/sh", "-c"]');
  assert.match(err('FROM a\nCOPY --frm=x a b'), /^Dockerfile:2: COPY: unknown flag: --frm$/);
  assert.match(err('FROM a\nRUN <<EOF\nno end'), /heredoc <<EOF is not terminated/);
  assert.is(err('# escape=x\nFROM a'), "Dockerfile:1: invalid escape token 'x': must be ` or \\");
  assert.is(err('FROM a b c d'), 'Dockerfile:1: FROM: expected "FROM [--platform=P] IMAGE [AS NAME]"');
});

test.run();
