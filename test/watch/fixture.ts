// A temporary compose project with develop.watch rules for the watch unit tests.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectSync } from '../../src/spec/index.js';
import type { Project } from '../../src/spec/index.js';
import type { ProjectSource } from '../../src/api/index.js';

export interface TmpProject {
  readonly dir: string;
  readonly project: Project;
  readonly source: ProjectSource;
  cleanup(): void;
}

export function tmpProject(compose: string, files: Record<string, string> = {}): TmpProject {
  const dir = mkdtempSync(join(tmpdir(), 'berth-watch-'));
  writeFileSync(join(dir, 'compose.yaml'), compose);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const source: ProjectSource = { files: [], envFiles: [], profiles: [], env: { HOME: '/root' }, cwd: dir };
  const project = loadProjectSync({ files: [], envFiles: [], profiles: [], env: { HOME: '/root' }, cwd: dir });
  return { dir, project, source, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const COMPOSE = `
name: wt
services:
  web:
    image: busybox:1.36
    develop:
      watch:
        - path: ./src
          target: /app/src
          action: sync
          ignore: [node_modules/, "*.tmp"]
        - path: ./config
          target: /etc/app
          action: sync+restart
        - path: ./package.json
          action: restart
        - path: ./hooks
          target: /hooks
          action: sync+exec
          exec:
            command: ["sh", "-c", "echo reloaded"]
  db:
    image: busybox:1.36
`;
