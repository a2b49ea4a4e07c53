import { Box, Text } from 'ink';
import type { Row } from './progress-model.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ProgressViewProps {
  readonly rows: readonly Row[];
  readonly now: number;
  readonly frame: number;
  readonly width: number;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** docker compose's progress block: ` ✔ Container hello-web-1  Started   0.3s`. */
export function ProgressView({ rows, now, frame, width }: ProgressViewProps) {
  const keyWidth = Math.max(0, ...rows.map((r) => r.key.length));
  return (
    <Box flexDirection="column">
      {rows.map((r) => {
        const icon = r.state === 'working' ? SPINNER[frame % SPINNER.length] : r.state === 'error' ? '✘' : '✔';
        const colour = r.state === 'error' ? 'red' : r.state === 'working' ? 'blue' : 'green';
        const took = seconds((r.state === 'working' ? now : r.updatedAt) - r.startedAt);
        const left = ` ${icon} ${r.key.padEnd(keyWidth)}  ${r.status}${r.detail ? ` ${r.detail}` : ''}`;
        return (
          <Box key={r.key} width={width}>
            <Box flexGrow={1}>
              <Text color={colour} wrap="truncate">
                {left}
              </Text>
            </Box>
            <Text dimColor>{took}</Text>
          </Box>
        );
      })}
    </Box>
  );
}
