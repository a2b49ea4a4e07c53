// The house rules for imports in src/ (ARCHITECTURE.md "Layers"), checked on the resolved
// import graph (static imports, `export ... from` and `import()` of relative paths):
//  1. one entry per subsystem: code outside src/<sub>/ imports it only through
//     src/<sub>/index.ts; src/load.ts alone loads parts of one apart (lazily, for start-up);
//  2. layers: a subsystem imports only from the layers below it (and L0);
//  3. no import cycles among the imports that stay in the JavaScript (`import type` and
//     `typeof import()` are erased; two modules may name each other's types);
//  4. Node builtins come from `process.getBuiltinModule`; `import type` from `node:*` is fine.
// Prints one line per violation, then a summary; exits 1 on any violation.
// Usage: node scripts/check-imports.mjs [--graph]   (--graph: print the subsystem edges)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');

/** Subsystem -> layer; a subsystem imports only from lower layers (util and errors.ts: 0). */
const LAYER = {
  util: 0,
  spec: 1,
  native: 1,
  graph: 2,
  api: 2,
  runtime: 3,
  image: 3,
  network: 3,
  build: 4, // Dockerfile builds: on image (store, layers) and runtime (RUN steps)
  load: 4.5, // src/load.ts: which parts load when (engine adapters and main use it)
  engine: 5,
  deploy: 5, // Swarm and Kubernetes backends: the same Project, never the local runtime
  watch: 5,
  objects: 5, // berth container|image|network: single objects, beside the engine
  ui: 5,
  cli: 6,
  main: 7, // src/main.ts: the composition root (CLI over the real backend)
};
/** Peers in one layer that may import each other (none today). */
const PEERS = new Set([]);

/**
 * The one module that may load parts of a subsystem apart from its index, as `import()` only,
 * so that a command loads no more than it uses (start-up time). It says which parts load when.
 */
const LOADER = 'load.ts';
/** A subsystem's entry, where it is not index.ts; a file at the top of src/ is its own entry. */
const ENTRY = { cli: 'cli/main.ts' };
const entryOf = (sub) => ENTRY[sub] ?? `${sub}/index.ts`;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

const IMPORT = /(?:^|[\s;}])(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'|(typeof\s+)?\bimport\(\s*'([^']+)'\s*\)(\.\w+)?/g;
const stripComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

/** Relative specifier -> the .ts/.tsx file it names (sources import `./x.js`). */
function resolveSpec(from, spec) {
  const base = resolve(dirname(from), spec).replace(/\.js$/, '');
  for (const c of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {}
  }
  return undefined;
}

/** The subsystem a file belongs to; the files at the top of src/ are their own (TOP). */
const TOP = { 'errors.ts': 'util', 'load.ts': 'load', 'main.ts': 'main' };
const subOf = (file) => {
  const rel = relative(src, file).split('/');
  return rel.length === 1 ? (TOP[rel[0]] ?? rel[0]) : rel[0];
};
const show = (file) => relative(root, file);

const files = walk(src);
const edges = new Map(); // file -> [{ to, spec, typeOnly, lazy }]
const problems = [];
for (const file of files) {
  const text = stripComments(readFileSync(file, 'utf8'));
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[5];
    // `import type`, `typeof import()`, `import('x').Name` (a type: values come through .then or await)
    const typeOnly = m[2] !== undefined || m[4] !== undefined || (m[6] !== undefined && !/^\.(then|catch|finally)$/.test(m[6]));
    const lazy = m[5] !== undefined && m[4] === undefined;
    if (spec.startsWith('node:')) {
      if (!typeOnly && !lazy) problems.push(`${show(file)}: builtin: import ... from '${spec}': take it with process.getBuiltinModule('${spec}') (or \`import type\`)`);
      continue;
    }
    if (!spec.startsWith('.')) continue;
    const to = resolveSpec(file, spec);
    if (!to) {
      problems.push(`${show(file)}: unresolved import '${spec}'`);
      continue;
    }
    out.push({ to, spec, typeOnly, lazy });
  }
  edges.set(file, out);
}

// 1 + 2: entries and layers
const typeOnlyNote = (out, to) => (out.filter((e) => e.to === to).every((e) => e.typeOnly) ? ' (type)' : '');
const subEdges = new Map();
for (const [file, out] of edges) {
  const a = subOf(file);
  for (const { to, spec, lazy } of out) {
    const b = subOf(to);
    if (a === b) continue;
    subEdges.set(`${a} -> ${b}`, (subEdges.get(`${a} -> ${b}`) ?? 0) + 1);
    const target = relative(src, to);
    const where = `${show(file)}: import '${spec}'`;
    if (LAYER[a] === undefined || LAYER[b] === undefined) problems.push(`${where}: ${LAYER[a] === undefined ? a : b} is in no layer (add it to LAYER)`);
    else if (LAYER[b] > LAYER[a] || (LAYER[b] === LAYER[a] && b !== 'util' && !PEERS.has(`${a} -> ${b}`))) problems.push(`${where}: layer: ${a} (L${LAYER[a]}) may not import ${b} (L${LAYER[b]})`);
    const isEntry = b === 'util' || !target.includes('/') || target === entryOf(b) || (relative(src, file) === LOADER && (lazy || typeOnly));
    if (isEntry) continue;
    problems.push(`${where}${typeOnlyNote(out, to)}: entry: outside code enters ${b} through src/${entryOf(b)}${lazy ? ' (or through src/load.ts)' : ''}`);
  }
}

// 3: cycles (Tarjan's strongly connected components)
const index = new Map();
const low = new Map();
const onStack = new Set();
const stack = [];
const cycles = [];
let counter = 0;
function strong(v) {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const { to, typeOnly } of edges.get(v) ?? []) {
    if (typeOnly) continue;
    if (!index.has(to)) {
      strong(to);
      low.set(v, Math.min(low.get(v), low.get(to)));
    } else if (onStack.has(to)) low.set(v, Math.min(low.get(v), index.get(to)));
  }
  if (low.get(v) === index.get(v)) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    const selfLoop = (edges.get(v) ?? []).some((e) => e.to === v && !e.typeOnly);
    if (scc.length > 1 || selfLoop) cycles.push(shortestCycle(scc));
  }
}
/** One shortest cycle through the component's first module (breadth first), as a path. */
function shortestCycle(scc) {
  const inScc = new Set(scc);
  const start = [...scc].sort()[0];
  const prev = new Map([[start, undefined]]);
  const queue = [start];
  for (let k = 0; k < queue.length; k++) {
    for (const { to, typeOnly } of edges.get(queue[k]) ?? []) {
      if (typeOnly || !inScc.has(to)) continue;
      if (to === start) {
        const chain = [];
        for (let v = queue[k]; v !== start; v = prev.get(v)) chain.unshift(v);
        return [start, ...chain, start].map(show);
      }
      if (!prev.has(to)) {
        prev.set(to, queue[k]);
        queue.push(to);
      }
    }
  }
  return [start, start].map(show);
}
for (const f of files) if (!index.has(f)) strong(f);
for (const c of cycles) problems.push(`cycle: ${c.join(' -> ')}`);

if (process.argv.includes('--graph')) for (const [e, n] of [...subEdges].sort()) console.log(`${e} (${n})`);
for (const p of problems.sort()) console.log(p);
const nEdges = [...edges.values()].reduce((n, out) => n + out.length, 0);
console.log(`check-imports: ${files.length} modules, ${nEdges} imports, ${cycles.length} cycles, ${problems.length - cycles.length} rule violations`);
process.exit(problems.length ? 1 : 0);
