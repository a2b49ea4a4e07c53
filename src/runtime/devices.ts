// Host devices given to a container: the node is recreated inside /dev and allowed in the
// device cgroup (v1); on cgroup v2 (no device program yet) the node is created as well.
import { BerthError } from '../errors.js';
import type { DeviceConfig } from './types.js';
const { statSync } = process.getBuiltinModule('node:fs');

export interface ResolvedDevice {
  readonly path: string;
  readonly type: 'c' | 'b';
  readonly major: number;
  readonly minor: number;
  readonly mode: number;
  readonly rule: string;
}

const S_IFMT = 0o170000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

export function resolveDevices(id: string, devices: readonly DeviceConfig[]): ResolvedDevice[] {
  return devices.map((d) => {
    const { fmt, mode, major, minor } = statDevice(id, d.hostPath);
    const perms = d.permissions ?? 'rwm';
    if (!/^[rwm]{1,3}$/.test(perms)) throw new BerthError('runtime/device', `container ${id}: invalid device permissions "${perms}" (a subset of rwm)`);
    const type = fmt === S_IFCHR ? 'c' : 'b';
    const target = d.containerPath ?? d.hostPath;
    if (!target.startsWith('/dev/')) throw new BerthError('runtime/device', `container ${id}: device path ${target} must be under /dev`);
    return { path: target, type, major, minor, mode: fmt | (mode & 0o777), rule: `${type} ${major}:${minor} ${perms}` };
  });
}

/** `major:minor` of a host block or character device (blkio limits name devices so). */
export function deviceNumber(id: string, path: string): string {
  const { major, minor } = statDevice(id, path);
  return `${major}:${minor}`;
}

function statDevice(id: string, path: string): { fmt: number; mode: number; major: number; minor: number } {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path, { bigint: false });
  } catch {
    throw new BerthError('runtime/device', `container ${id}: device ${path} does not exist`);
  }
  const fmt = st.mode & S_IFMT;
  if (fmt !== S_IFCHR && fmt !== S_IFBLK) throw new BerthError('runtime/device', `container ${id}: ${path} is not a device node`);
  const rdev = st.rdev;
  return { fmt, mode: st.mode, major: ((rdev >> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff), minor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00) };
}
