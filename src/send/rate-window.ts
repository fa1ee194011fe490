import { setTimeout as sleepReal } from 'node:timers/promises'
import type { Clock } from '../clock.ts'

/** Waits for the given number of milliseconds. */
export type Sleep = (ms: number) => Promise<void>

/** Default sleep on real timers. */
export const realSleep: Sleep = async (ms) => { await sleepReal(ms) }

/** A platform limit of `count` sends per `windowMs` per key (a conversation, a robot). */
export interface RateLimit {
  count: number
  windowMs: number
}

/**
 * Sliding-window limiter: `acquire(key)` resolves once one more send under `key` stays within
 * the limit, and records it. Callers wait instead of being refused, so nothing is dropped.
 */
export function createRateWindow(opts: { limit: RateLimit; clock: Clock; sleep?: Sleep }) {
  const sleep = opts.sleep ?? realSleep
  const sent = new Map<string, number[]>()

  const delay = (key: string): number => {
    const now = opts.clock.now()
    const times = (sent.get(key) ?? []).filter((t) => t > now - opts.limit.windowMs)
    sent.set(key, times)
    if (times.length < opts.limit.count) return 0
    return times[0] + opts.limit.windowMs - now
  }

  return {
    /** Wait until a send under `key` is allowed, then count it. */
    async acquire(key: string): Promise<void> {
      for (let wait = delay(key); wait > 0; wait = delay(key)) await sleep(wait)
      sent.get(key)!.push(opts.clock.now())
    },
  }
}
