/** Splits a command string as go-shellwords does: whitespace, '…', "…", backslash escapes. */
export function shellSplit(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      const n = text[i + 1]!;
      if (quote === '"' && !['"', '\\', '$', '`', '\n'].includes(n)) cur += c;
      else if (n !== '\n') cur += n;
      i++;
      has = true;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (has) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    cur += c;
    has = true;
  }
  if (quote) throw new Error(`invalid command line string: unterminated quote in ${JSON.stringify(text)}`);
  if (has) out.push(cur);
  return out;
}
