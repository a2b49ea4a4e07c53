// node:fs without its ESM facade. An ESM `import { x } from 'node:fs'` makes Node build a
// module facade that reads every export of fs once, the lazy ReadStream/WriteStream getters
// included, and those load the whole streams stack: ~7 ms of every process that does it
// (Node 24, measured: 7.6 ms vs 0.7 ms for the same module taking fs from
// process.getBuiltinModule). `berth container run` pays for every module on its path, so
// the runtime (and the CLI's run command) take fs from here. Same functions, same types.
export const {
  accessSync,
  chownSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  promises,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  watch,
  write,
  writeFileSync,
} = process.getBuiltinModule('node:fs');
