import type OpenAI from 'openai'
import type { Config } from './config.ts'
import type { Logger } from './log.ts'
import type { Clock } from './clock.ts'
import type { Redis } from './store/redis.ts'
import type { Keys } from './store/keys.ts'
import type { MaterialLibrary } from './materials/types.ts'

/** Everything a component needs, built once in main.ts and passed down. */
export interface Deps {
  config: Config
  log: Logger
  clock: Clock
  redis: Redis
  keys: Keys
  library: MaterialLibrary
  /** OpenAI-compatible client when `llm` is configured; settings are in config.llm. */
  llm?: OpenAI
}
