/**
 * Which parts of berth load when. A command pays in start-up time for every module it loads
 * (CLI start is part of container start latency), so the subsystems are loaded on first use,
 * and some in parts: a `ps`, `stop` or `down` does not load the create path. This is the one
 * module that imports a subsystem apart from its index.ts (scripts/check-imports.mjs allows
 * it here only, and only as `import()`); everything else enters a subsystem through its index.
 *
 *   part                 modules                               who loads it first
 *   runtime              runtime/index (all)                   create, start, exec, stats
 *   runtimeLean          context, state, kill, wait, delete    ps, logs, stop, down
 *   runtimeLayout        layout                                /etc files of a container
 *   runtimeListening     listening                             readiness (ports listened on)
 *   runtimeContext       context                               `container run` (beside the foreground path only)
 *   runtimeUser          user                                  a container's --user, by name
 *   runtimeForeground    foreground                            attached `container run` (the CLI execs into the shim)
 *   runtimeCreate        create                                `container create`, `run -d`
 *   image                image/index (all: registry, unpack)   a pull, push, import
 *   imageLocal           list, hold, reference, store          up with local images, down
 *   imageRemove          remove                                pruning replaced images
 *   network              network/index (all: DNS, IPAM, veth)  creating networks, attach
 *   networkReading       inspect, hold-namespaces              down (before its stop signal)
 *   networkTeardown      session, remove, detach, ports        down, stop, port changes
 *   build                build/index                           a build
 */
export const loadRuntime = () => import('./runtime/index.js');
export const loadRuntimeLean = () =>
  Promise.all([import('./runtime/context.js'), import('./runtime/state.js'), import('./runtime/kill.js'), import('./runtime/wait.js'), import('./runtime/delete.js')]).then(
    ([context, state, kill, wait, del]) => ({ context, state, kill, wait, del }),
  );
export const loadRuntimeLayout = () => import('./runtime/layout.js');
export const loadRuntimeListening = () => import('./runtime/listening.js');
export const loadRuntimeContext = () => import('./runtime/context.js');
export const loadRuntimeUser = () => import('./runtime/user.js');
export const loadRuntimeForeground = () => import('./runtime/foreground.js');
export const loadRuntimeCreate = () => import('./runtime/create.js');

export const loadImage = () => import('./image/index.js');
export const loadImageLocal = () =>
  Promise.all([import('./image/list.js'), import('./image/hold.js'), import('./image/reference.js'), import('./image/store.js')]).then(([list, hold, ref, store]) => ({ list, hold, ref, store }));
export const loadImageRemove = () => import('./image/remove.js');

export const loadNetwork = () => import('./network/index.js');
export const loadNetworkReading = () => Promise.all([import('./network/inspect.js'), import('./network/hold-namespaces.js')]).then(([inspect, hold]) => ({ inspect, hold }));
export const loadNetworkTeardown = () =>
  Promise.all([import('./network/session.js'), import('./network/remove-network.js'), import('./network/detach-container.js'), import('./network/ports.js')]).then(
    ([session, remove, detach, ports]) => ({ session, remove, detach, ports }),
  );

export const loadBuild = () => import('./build/index.js');
