import { Box, Text } from 'ink';
import type { ServiceRow } from './model.js';
import { bytes, duration, percent } from './format.js';
import { stateText, TONE_COLOR } from './state-text.js';
import { sgr } from './sgr.js';

export interface ServiceTableProps {
  readonly rows: readonly ServiceRow[];
  readonly selected: number;
  readonly width: number;
  /** Rows of the table body (the header comes on top). */
  readonly height: number;
  readonly now: number;
  readonly color: boolean;
}

const cell = (s: string, w: number): string => (s.length > w ? `${s.slice(0, Math.max(0, w - 1))}…` : s.padEnd(w));
const right = (s: string, w: number): string => (s.length > w ? s.slice(0, w) : s.padStart(w));

/** Column widths for a terminal `width` wide: the state column takes what is left. */
export function columns(rows: readonly ServiceRow[], width: number) {
  const name = Math.min(20, Math.max(8, ...rows.map((r) => r.key.length + 2)));
  const ports = 12;
  const up = 6;
  const cpu = 6;
  const mem = 7;
  const rst = 4;
  const state = Math.max(10, width - 1 - name - ports - up - cpu - mem - rst - 6);
  return { name, state, ports, up, cpu, mem, rst };
}

/** The service table: one row per container (or per service before it has one). */
export function ServiceTable({ rows, selected, width, height, now, color }: ServiceTableProps) {
  const w = columns(rows, width);
  const header = `${cell(' SERVICE', w.name)} ${cell('STATE', w.state)} ${cell('PORTS', w.ports)} ${right('UP', w.up)} ${right('CPU', w.cpu)} ${right('MEM', w.mem)} ${right('RST', w.rst)}`;
  // keep the selected row in view
  const first = Math.max(0, Math.min(selected - height + 1, rows.length - height, selected));
  const shown = rows.slice(Math.max(0, first), Math.max(0, first) + height);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {header}
      </Text>
      {shown.map((r) => {
        const i = rows.indexOf(r);
        const st = stateText(r, now);
        const live = r.phase === 'running' && r.startedAt !== undefined;
        const mark = i === selected ? '>' : ' ';
        return (
          <Text key={r.key} wrap="truncate" inverse={i === selected}>
            {`${mark}${cell(r.key, w.name - 1)} ${sgr(TONE_COLOR[st.tone], cell(st.text, w.state), color && i !== selected)} ${cell(r.ports.join(','), w.ports)} ${right(live ? duration(now - r.startedAt!) : '-', w.up)} ${right(live && r.cpuPercent !== undefined ? percent(r.cpuPercent) : '-', w.cpu)} ${right(live && r.memoryBytes !== undefined ? bytes(r.memoryBytes) : '-', w.mem)} ${right(String(r.restarts), w.rst)}`}
          </Text>
        );
      })}
    </Box>
  );
}
