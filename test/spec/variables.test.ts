// `config --variables`: compose-go's ExtractVariables forms.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extractVariables, variablesIn } from '../../src/spec/variables.js';

test('every form: plain, braced, default, alternate, required; $$ escapes; nesting', () => {
  assert.equal(variablesIn('$A ${B} ${C:-c1} ${D-d1} ${E:+e1} ${F+f1} ${G:?no G} ${H?x} $$I ${J:-${K}}'), [
    { name: 'A', required: false, defaultValue: '', alternateValue: '' },
    { name: 'B', required: false, defaultValue: '', alternateValue: '' },
    { name: 'C', required: false, defaultValue: 'c1', alternateValue: '' },
    { name: 'D', required: false, defaultValue: 'd1', alternateValue: '' },
    { name: 'E', required: false, defaultValue: '', alternateValue: 'e1' },
    { name: 'F', required: false, defaultValue: '', alternateValue: 'f1' },
    { name: 'G', required: true, defaultValue: '', alternateValue: '' },
    { name: 'H', required: true, defaultValue: '', alternateValue: '' },
    { name: 'J', required: false, defaultValue: '${K}', alternateValue: '' },
  ]);
  assert.equal(variablesIn('$(date) $ $1 text'), [], 'not variables');
});

test('extractVariables walks a model, sorted by name', () => {
  const vars = extractVariables({ services: { web: { image: 'nginx:${TAG:-1}', ports: ['${PORT}:80'], environment: { X: '$$NOT' } } } });
  assert.equal(
    vars.map((v) => v.name),
    ['PORT', 'TAG'],
  );
});

test.run();
