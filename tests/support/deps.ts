import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { createLogger } from '../../src/log.ts'
import type OpenAI from 'openai'
import type { Config } from '../../src/config.ts'
import type { Clock } from '../../src/clock.ts'
import { createDeps, type Deps } from '../../src/deps.ts'
import type { Redis } from '../../src/store/redis.ts'
import { createKeys, type Keys } from '../../src/store/keys.ts'
import type { MaterialLibrary } from '../../src/materials/types.ts'

/** A parsed pino log line. */
export type LogLine = Record<string, any>

/** A pino logger whose lines the test reads back, parsed, in `lines`. */
export function captureLog(level = 'debug'): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = []
  // the product's own logger (redaction included), writing into `lines`
  const log = createLogger({ level, stream: { write: (s: string) => { lines.push(JSON.parse(s)) } } })
  return { log, lines }
}

/**
 * Deps for a test, built by the product's own createDeps on the test's Redis, under a random
 * key prefix unless `keys` is given; log lines are captured in `logs`.
 */
export async function testDeps(o: {
  config: Config
  redis: Redis
  keys?: Keys
  clock?: Clock
  library?: MaterialLibrary
  llm?: OpenAI
  /** The captured logger to use (when something, e.g. the library, was built with it first). */
  capture?: ReturnType<typeof captureLog>
}): Promise<{ deps: Deps; logs: LogLine[] }> {
  const { log, lines } = o.capture ?? captureLog()
  const keys = o.keys ?? createKeys(`t${randomBytes(4).toString('hex')}`)
  const deps = await createDeps({ config: o.config, log, redis: o.redis, keys, clock: o.clock, library: o.library, llm: o.llm })
  return { deps, logs: lines }
}
