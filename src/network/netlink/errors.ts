// NetlinkError: errno from the kernel mapped to a message naming the operation.
import { BerthError } from '../../errors.js';
const { constants } = process.getBuiltinModule('node:os');

const ERRNO_NAMES = new Map<number, string>(Object.entries(constants.errno).map(([k, v]) => [v, k]));
const ERRNO_TEXT: Record<string, string> = {
  EEXIST: 'already exists',
  ENOENT: 'not found',
  ENODEV: 'no such device',
  EPERM: 'operation not permitted (needs root / CAP_NET_ADMIN)',
  EACCES: 'permission denied',
  EBUSY: 'device or resource busy',
  EINVAL: 'invalid argument',
  EADDRNOTAVAIL: 'address not available',
  ENETUNREACH: 'network unreachable',
  EOPNOTSUPP: 'not supported by this kernel',
  ENOTSUP: 'not supported by this kernel',
  EBADF: 'bad handle',
};

export class NetlinkError extends BerthError {
  readonly errno: string;
  constructor(operation: string, errno: number, kernelMessage?: string) {
    const name = ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
    const text = ERRNO_TEXT[name] ?? name;
    super('network/netlink', `${operation}: ${text} (${name}${kernelMessage ? `: ${kernelMessage}` : ''})`, {
      details: { errno: name, operation },
    });
    this.name = 'NetlinkError';
    this.errno = name;
  }
}

export const isErrno = (e: unknown, ...names: string[]): boolean => e instanceof NetlinkError && names.includes(e.errno);
