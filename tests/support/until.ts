import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Poll `cond` until it holds. The limit is generous on purpose: it only ends a test that would
 * otherwise hang, and never fails one because the machine is busy.
 */
export async function until(cond: () => boolean | Promise<boolean>, what = 'the condition', timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`)
    await sleep(20)
  }
}
