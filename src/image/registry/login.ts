import { BerthError } from '../../errors.js';
import type { RegistryConfig } from '../types.js';
/** Checks the credentials against the registry, then stores them in config.loginFile. */
export async function login(registry: string, _user: string, _password: string, _config: RegistryConfig): Promise<void> {
  throw new BerthError('image/not-implemented', `login ${registry}: not implemented yet`);
}
/** Removes stored credentials for the registry (idempotent). */
export async function logout(registry: string, _config: RegistryConfig): Promise<boolean> {
  throw new BerthError('image/not-implemented', `logout ${registry}: not implemented yet`);
}
