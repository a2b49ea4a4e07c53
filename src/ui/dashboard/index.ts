/** The live dashboard (`berth up` on a terminal, `berth dashboard`): README.md. */
export { openDashboard, dataFrameGap, type DashboardHandle, type DashboardOptions, type DashboardStreams, type ActionHandler } from './open.js';
export { Dashboard, type DashboardProps } from './Dashboard.js';
export { DashboardModel, type ServiceRow, type Phase } from './model.js';
export { LogStore, type StoredLine } from './log-store.js';
export { LogHistory, type HistoryReader, type HistoryRead, type HistorySlice } from './history.js';
export { paneLines, type PaneLines } from './pane-lines.js';
export { onKey, initialView, KEY_HELP, type Action, type ViewState } from './keys.js';
