import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inSigtimedwait, initHearsSignal } from '../../src/runtime/signal-heard.js';

const status = (o: { nspid: string; cgt: string; blk?: string; state?: string }): string =>
  `Name:\tsleep\nState:\t${o.state ?? 'S (sleeping)'}\nNSpid:\t${o.nspid}\nSigQ:\t0/94\nSigPnd:\t0000000000000000\nSigBlk:\t${o.blk ?? '0000000000000000'}\nSigIgn:\t0000000000000000\nSigCgt:\t${o.cgt}\n`;

test('a namespaced pid 1 without a handler does not hear SIGTERM or SIGQUIT', () => {
  const s = status({ nspid: '4242\t1', cgt: '0000000000000000' });
  assert.is(initHearsSignal(s, 15), false);
  assert.is(initHearsSignal(s, 3), false);
});
test('a handler for the signal (SigCgt bit signal-1) makes it heard; others still are not', () => {
  const s = status({ nspid: '4242\t1', cgt: '0000000000004000' }); // bit 14 = SIGTERM
  assert.is(initHearsSignal(s, 15), true);
  assert.is(initHearsSignal(s, 10), false);
  assert.is(initHearsSignal(status({ nspid: '4242\t1', cgt: '0000000000010000' }), 17), true); // SIGCHLD
});
test('a blocked signal is queued (an init on a signalfd): heard', () => {
  assert.is(initHearsSignal(status({ nspid: '4242\t1', cgt: '0000000000000000', blk: '0000000000004000' }), 15), true);
});
test('SIGKILL and SIGSTOP are always heard', () => {
  const s = status({ nspid: '4242\t1', cgt: '0000000000000000' });
  assert.is(initHearsSignal(s, 9), true);
  assert.is(initHearsSignal(s, 19), true);
});
test('not an init seen from outside (host pid namespace, or pid > 1 inside) hears it: default actions apply', () => {
  assert.is(initHearsSignal(status({ nspid: '4242', cgt: '0000000000000000' }), 15), true);
  assert.is(initHearsSignal(status({ nspid: '4242\t7', cgt: '0000000000000000' }), 15), true);
});
test('an exiting pid 1 and unreadable fields count as heard (no kill at once)', () => {
  assert.is(initHearsSignal(status({ nspid: '4242\t1', cgt: '0000000000000000', state: 'Z (zombie)' }), 15), true);
  assert.is(initHearsSignal('Name:\tx\nNSpid:\t4242\t1\n', 15), true);
});
test("a pid waiting in rt_sigtimedwait (tini, berth's init) counts as hearing: its waited set is hidden from SigBlk", () => {
  assert.is(inSigtimedwait('128 0x7ffd1dd7b160 0x7ffd1dd7b1e0 0x0 0x8', '', 'x64'), true);
  assert.is(inSigtimedwait('137 0x1 0x2', '', 'arm64'), true);
  assert.is(inSigtimedwait('', 'do_sigtimedwait.isra.0', 'x64'), true);
  assert.is(inSigtimedwait('61 0xffffffff 0x7ffd 0x0', 'do_wait', 'x64'), false);
  assert.is(inSigtimedwait('running', '0', 'x64'), false);
});
test.run();
