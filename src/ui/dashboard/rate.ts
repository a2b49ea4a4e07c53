/** Transfer rate and ETA from (time, bytes) samples: an exponential moving average. Pure. */
export interface Rate {
  readonly at: number;
  readonly bytes: number;
  /** Bytes per second (smoothed); 0 until two samples. */
  readonly perSecond: number;
}

export function nextRate(prev: Rate | undefined, at: number, bytes: number): Rate {
  if (!prev || at <= prev.at) return { at: prev && at <= prev.at ? prev.at : at, bytes, perSecond: prev?.perSecond ?? 0 };
  const instant = ((bytes - prev.bytes) * 1000) / (at - prev.at);
  const perSecond = prev.perSecond === 0 ? instant : prev.perSecond * 0.7 + instant * 0.3;
  return { at, bytes, perSecond: Math.max(0, perSecond) };
}

/** Milliseconds left at the current rate, or undefined when unknown. */
export function eta(rate: Rate | undefined, total: number): number | undefined {
  if (!rate || rate.perSecond <= 0 || total <= 0) return undefined;
  return ((total - rate.bytes) / rate.perSecond) * 1000;
}
