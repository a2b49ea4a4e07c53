import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { processPairs, processWord, processWords, SubstitutionError } from '../../src/build/words.js';
import { globToRegExp } from '../../src/util/glob.js';
import { parseDuration } from '../../src/build/config-step.js';

const env = (n: string): string | undefined => ({ A: 'a', EMPTY: '', SP: 'x y' })[n];

test('substitution: $VAR, ${VAR}, defaults and alternatives, quotes, escapes', () => {
  assert.is(processWord('$A-${A}', env), 'a-a');
  assert.is(processWord('${MISSING:-def}/${EMPTY:-e}/${EMPTY-e}', env), 'def/e/');
  assert.is(processWord('${A:+set}${MISSING:+no}${EMPTY+alt}', env), 'setalt');
  assert.is(processWord('\'$A\' "$A" \\$A', env), '$A a $A');
  assert.is(processWord('"q\\"uote"', env), 'q"uote');
  assert.is(processWord('`$A', env, '`'), '$A');
  assert.is(processWord('cost $5', env), 'cost $5');
  assert.is(processWord('${MISSING:-${A}x}', env), 'ax');
  assert.throws(
    () => processWord('${MISSING:?must be set}', env),
    (e: Error) => e instanceof SubstitutionError && /must be set/.test(e.message),
  );
  assert.throws(
    () => processWord('${A', env),
    (e: Error) => e instanceof SubstitutionError,
  );
  assert.throws(
    () => processWord('"open', env),
    (e: Error) => e instanceof SubstitutionError,
  );
});

test('words and pairs (ENV/LABEL), legacy form', () => {
  assert.equal(processWords('a "b c" $SP $MISSING ""', env), ['a', 'b c', 'x y', '']);
  assert.equal(processPairs('K=$A L="two words" M=\'$A\'', env), [
    ['K', 'a'],
    ['L', 'two words'],
    ['M', '$A'],
  ]);
  assert.equal(processPairs('KEY value with spaces', env), [['KEY', 'value with spaces']]);
  assert.equal(processPairs('K=${MISSING:-a b} L=1', env), [
    ['K', 'a b'],
    ['L', '1'],
  ]);
  assert.throws(
    () => processPairs('KEY', env),
    (e: Error) => e instanceof SubstitutionError,
  );
});

test('COPY wildcards: classes and ?', () => {
  assert.ok(globToRegExp('[a-c]?.txt').test('b1.txt'));
  assert.not.ok(globToRegExp('[^a-c].txt').test('a.txt'));
});

test('durations', () => {
  assert.is(parseDuration('1m30s'), 90e9);
  assert.is(parseDuration('500ms'), 500e6);
  assert.is(parseDuration('0'), 0);
  assert.throws(
    () => parseDuration('5'),
    (e: Error) => e instanceof SubstitutionError,
  );
});

test.run();
