import type { Message } from 'wechaty'
import type { Deps } from '../deps.ts'
import { startApp, type App } from '../main.ts'
import { createMockWorld, simulatedGroupsOf, type MockWorld, type SentMessage } from '../bot/mock-world.ts'
import { defaultJobs } from '../jobs/default-jobs.ts'

/** What a simulated member says: where (a room, first by default, or privately), and to which account. */
export interface SayOptions {
  room?: string
  mention?: boolean
  private?: boolean
  id?: string
  /** The account whose world it is said in (default: privately the first, in a room the first world that has it). */
  account?: string
}

/** The bot running on the mock puppet, as the simulator, `studybot play` and e2e tests use it. */
export interface Simulation {
  app: App
  /** The first (or only) account's world. */
  world: MockWorld
  /** Each account's world by account id (one entry without `accounts:`). */
  worlds: Map<string, MockWorld>
  /** Say something and wait until the bot has handled it and sent every reply. */
  say(from: string, text: string, o?: SayOptions): Promise<void>
  stop(): Promise<void>
}

/**
 * Start the real bot on wechaty-puppet-mock with every configured group as a room; with
 * `accounts:`, one mock puppet (one Wechaty) per account, each with its own rooms.
 */
export async function startSimulation(o: {
  deps: Deps
  onSent?: (m: SentMessage) => void
  jobs?: Parameters<typeof startApp>[0]['jobs']
  /** Serve the web console (default: config.console.enabled). */
  console?: boolean
  /** Watch Redis persistence (see startApp). */
  redisWatch?: Parameters<typeof startApp>[0]['redisWatch']
  /** Pace the outboxes by a manual clock (see startApp). */
  pace?: Parameters<typeof startApp>[0]['pace']
}): Promise<Simulation> {
  const { config } = o.deps
  const several = config.accounts.length > 1
  const worlds = new Map(config.accounts.map((a, i) => [a.id, createMockWorld(config, several ? { id: a.id, groups: simulatedGroupsOf(config, i) } : undefined)]))
  if (o.onSent) for (const w of worlds.values()) w.onSent(o.onSent)
  const app = await startApp({
    deps: o.deps, accounts: config.accounts.map((account) => ({ account, puppet: worlds.get(account.id)!.puppet })),
    jobs: o.jobs ?? defaultJobs, console: o.console, redisWatch: o.redisWatch, pace: o.pace,
  })
  for (const w of worlds.values()) w.login()
  const world = worlds.get(config.accounts[0].id)!

  const nextMessageFrom = (from: string) => new Promise<void>((resolve) => {
    const bots = app.accounts.map((a) => a.bot)
    const listener = (m: Message) => {
      if (m.self() || m.talker().name() !== from) return
      for (const bot of bots) bot.off('message', listener)
      resolve()
    }
    for (const bot of bots) bot.on('message', listener)
  })
  const worldOf = (opts: SayOptions): MockWorld => {
    if (opts.account) return worlds.get(opts.account) ?? world
    if (opts.private || opts.room === undefined) return world
    return [...worlds.values()].find((w) => w.groups.some((g) => (g.topic ?? g.key) === opts.room)) ?? world
  }

  return {
    app,
    world,
    worlds,
    async say(from, text, opts = {}) {
      const received = nextMessageFrom(from)
      worldOf(opts).say(from, text, opts)
      await received
      await app.settled()
    },
    stop: () => app.stop(),
  }
}
