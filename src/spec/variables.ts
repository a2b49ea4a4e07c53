/**
 * `config --variables`: the variables a compose model uses, as compose-go's
 * template.ExtractVariables finds them in the model's string values (before interpolation):
 * `$NAME`, `${NAME}`, `${NAME:-default}` / `${NAME-default}`, `${NAME:+alternate}` /
 * `${NAME+alternate}`, `${NAME:?error}` / `${NAME?error}` (required); `$$` is an escape.
 */
export interface TemplateVariable {
  readonly name: string;
  readonly required: boolean;
  readonly defaultValue: string;
  readonly alternateValue: string;
}

const NAME = /^[_a-z][_a-z0-9]*/i;

/** Variables of one string, in order (a name seen again keeps its first appearance, as compose's map does last). */
export function variablesIn(text: string): TemplateVariable[] {
  const out: TemplateVariable[] = [];
  for (let i = text.indexOf('$'); i >= 0 && i < text.length; i = text.indexOf('$', i)) {
    const next = text[i + 1];
    if (next === '$') {
      i += 2;
      continue;
    }
    if (next === '{') {
      let depth = 1;
      let j = i + 2;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
      }
      const body = text.slice(i + 2, depth === 0 ? j - 1 : j);
      const name = NAME.exec(body)?.[0];
      if (name) out.push(braced(name, body.slice(name.length)));
      i = j;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (name) out.push({ name, required: false, defaultValue: '', alternateValue: '' });
    i += 1 + (name?.length ?? 0);
  }
  return out;
}

function braced(name: string, rest: string): TemplateVariable {
  const op = /^(:?[-+?])/.exec(rest)?.[1];
  const value = op ? rest.slice(op.length) : '';
  return {
    name,
    required: op === ':?' || op === '?',
    defaultValue: op === ':-' || op === '-' ? value : '',
    alternateValue: op === ':+' || op === '+' ? value : '',
  };
}

/** Every variable in a model's string values, by name (sorted), the last occurrence winning as in compose's map. */
export function extractVariables(model: unknown): TemplateVariable[] {
  const found = new Map<string, TemplateVariable>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const x of variablesIn(v)) found.set(x.name, x);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(model);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
