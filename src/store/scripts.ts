import type { Redis } from './redis.ts'

/** A Lua script and how many of its arguments are keys. */
export interface Script {
  keys: number
  lua: string
}

/**
 * The client with `scripts` as commands (EVALSHA, falling back to EVAL once per connection).
 * Defining is per client and idempotent, so every store built on the same client shares them.
 */
export function withScripts<N extends string>(redis: Redis, scripts: Record<N, Script>): Record<N, (...args: string[]) => Promise<unknown>> {
  const r = redis as unknown as Record<string, unknown>
  for (const [name, s] of Object.entries<Script>(scripts)) {
    if (typeof r[name] !== 'function') redis.defineCommand(name, { numberOfKeys: s.keys, lua: s.lua })
  }
  return Object.fromEntries(Object.keys(scripts).map((name) => [name, (...args: string[]) => (r[name] as (...a: string[]) => Promise<unknown>).apply(redis, args)])) as Record<N, (...args: string[]) => Promise<unknown>>
}
