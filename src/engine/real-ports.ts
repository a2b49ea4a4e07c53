/** The seams bound to the real runtime, image and network modules. */
import type { EnginePorts } from './ports.js';
import { runtimePort } from './adapters/runtime.js';
import { imagePort } from './adapters/images.js';
import { networkPort } from './adapters/network.js';
import { buildPort } from './adapters/build.js';
import { enginePaths } from './paths.js';

export function realPorts(env: Readonly<Record<string, string | undefined>> = process.env): EnginePorts {
  const paths = enginePaths(env);
  return { runtime: runtimePort(env), images: imagePort(paths.root, env), network: networkPort(paths.root), builder: buildPort(env) };
}
