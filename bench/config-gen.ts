// The generated compose file of bench/config.ts (importable without running the bench).

export function generateCompose(n: number): string {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    const name = `svc${String(i).padStart(3, '0')}`;
    lines.push(
      `  ${name}:`,
      `    image: "registry.local/team/${name}:\${TAG:-1.${i % 7}}"`,
      '    restart: unless-stopped',
      '    ports:',
      `      - "${10000 + i}:80"`,
      `      - "127.0.0.1:${20000 + i}:9090/udp"`,
      '    environment:',
      `      - SERVICE_NAME=${name}`,
      '      - LOG_LEVEL=${LOG_LEVEL:-info}',
      `      - SLOT=${i}`,
      '    labels:',
      `      com.example.team: team${i % 5}`,
      `      com.example.index: "${i}"`,
      '    volumes:',
      `      - ./data/${name}:/var/lib/${name}`,
      `      - shared${i % 10}:/shared`,
      '    networks:',
      `      - ${i % 2 === 0 ? 'front' : 'back'}`,
      '    healthcheck:',
      '      test: ["CMD", "true"]',
      '      interval: 30s',
      '      timeout: 5s',
      '      retries: 3',
    );
    // a shallow dependency fan-in (ten base services): podman-compose 1.0.x expands
    // dependency chains recursively and does not finish on deep ones
    const deps = i < 10 ? [] : [i % 10, 10 + ((i * 7) % Math.max(1, Math.min(i - 10, 10)))].filter((d, k, a) => d < i && a.indexOf(d) === k);
    if (deps.length > 0) {
      lines.push('    depends_on:');
      for (const d of deps) lines.push(`      - svc${String(d).padStart(3, '0')}`);
    }
  }
  lines.push('networks:', '  front:', '  back:', 'volumes:');
  for (let v = 0; v < 10; v++) lines.push(`  shared${v}:`);
  return `${lines.join('\n')}\n`;
}
