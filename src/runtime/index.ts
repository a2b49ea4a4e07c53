// berth's embedded container runtime: the public surface the engine and the CLI call.
// See README.md in this folder for the process model and the on-disk layout.
export type * from './types.js';
export { runtimeContext, containerId } from './context.js';
export { createContainer, startContainer, runContainer, writeHostsFile } from './create.js';
export { killContainer, stopContainer } from './kill.js';
export { waitContainer } from './wait.js';
export { deleteContainer } from './delete.js';
export { execInContainer, spawnExec } from './exec.js';
export { execDetached } from './exec-detached.js';
export { attachContainer } from './attach.js';
export { startAttached } from './start-attached.js';
export { containerState, listContainers, requireStored, resolveContainer } from './state.js';
export { startOrRerunContainer } from './start-again.js';
export { containerStats } from './stats.js';
export { pauseContainer, resumeContainer } from './pause.js';
export { readLogs, readLogBatches } from './logs.js';
export { readUserDb, resolveUser } from './user.js';
export { commitSource, rootfsLayers, type CommitSource } from './commit-source.js';
export type { CreateOptions } from './create.js';
export type { ExecProcess } from './exec.js';
export type { AttachOptions } from './attach.js';
