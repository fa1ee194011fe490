import type { Context } from 'hono'
import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import type { Session } from './access.ts'
import type { Asset } from './assets.ts'

/** Everything the console's pages need, built once when the console starts. */
export interface ConsoleEnv {
  deps: Deps
  messenger: Messenger
  assets: Record<string, Asset>
  /** Path prefix the console is served under: '' or e.g. '/studybot' (from console.publicUrl). */
  base: string
  /** Set the Secure flag on the session cookie (the public address is https). */
  secureCookie: boolean
}

/** Hono's typing of what middleware puts on the request context. */
export interface AppEnv {
  Variables: { session: Session; sessionToken: string }
}

/** The request context every page handler receives. */
export type Ctx = Context<AppEnv>
