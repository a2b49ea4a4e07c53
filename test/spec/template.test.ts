import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { substitute, TemplateError } from '../../src/spec/template.js';
import { parseDotenv } from '../../src/spec/dotenv.js';

const env: Record<string, string> = { SET: 'v', EMPTY: '' };
const look = (k: string): string | undefined => env[k];

test('substitution forms', () => {
  const cases: [string, string][] = [
    ['$SET', 'v'],
    ['${SET}', 'v'],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:-${ALSO:-${SET}}}', 'v'],
    ['$$SET $${SET}', '$SET ${SET}'],
    ['a-${SET}-b', 'a-v-b'],
  ];
  for (const [input, want] of cases) assert.is(substitute(input, look), want, input);
});

test('unset variables are reported and become empty', () => {
  const seen: string[] = [];
  assert.is(
    substitute('x${NOPE}y$ALSO', look, (n) => seen.push(n)),
    'xy',
  );
  assert.equal(seen, ['NOPE', 'ALSO']);
  // a default that is not used does not warn
  seen.length = 0;
  substitute('${SET:-$NOPE}', look, (n) => seen.push(n));
  assert.equal(seen, []);
});

test('required and invalid templates throw', () => {
  assert.throws(
    () => substitute('${NOPE:?must be set}', look),
    (e: unknown) => e instanceof TemplateError && /NOPE.*must be set/.test(e.message),
  );
  assert.throws(
    () => substitute('${EMPTY:?}', look),
    (e: unknown) => e instanceof TemplateError && e.kind === 'required',
  );
  assert.is(substitute('${EMPTY?}', look), '');
  assert.throws(() => substitute('${unclosed', look), /invalid interpolation format/);
  assert.throws(() => substitute('${SET:x}', look), /invalid interpolation format/);
});

test('a $ that starts no substitution is kept as written, as compose-go does', () => {
  assert.is(substitute('pa$5word', look), 'pa$5word');
  assert.is(substitute('RUN echo $(date) $SET', look), 'RUN echo $(date) v');
  assert.is(substitute('cost: 5$', look), 'cost: 5$');
  assert.is(substitute('$ $-', look), '$ $-');
});

test('dotenv: quotes, comments, export, expansion, bare keys', () => {
  const text = [
    '# comment',
    'export A=1',
    'B = spaced value # trailing',
    "C='literal $A'",
    'D="line\\nbreak ${A}"',
    'E=${A}-${MISSING:-dflt}',
    'F="multi',
    'line"',
    'FROM_LOOKUP',
    'NOT_IN_LOOKUP',
  ].join('\n');
  const out = parseDotenv(text, (k) => (k === 'FROM_LOOKUP' ? 'outer' : undefined));
  assert.equal(out, {
    A: '1',
    B: 'spaced value',
    C: 'literal $A',
    D: 'line\nbreak 1',
    E: '1-dflt',
    F: 'multi\nline',
    FROM_LOOKUP: 'outer',
  });
});

test.run();
