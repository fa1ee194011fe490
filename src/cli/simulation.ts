import type { Message } from 'wechaty'
import type { Deps } from '../deps.ts'
import { startApp, type App } from '../main.ts'
import { createMockWorld, type MockWorld, type SentMessage } from '../bot/mock-world.ts'
import { defaultJobs } from '../jobs/default-jobs.ts'

/** The bot running on the mock puppet, as the simulator, `studybot play` and e2e tests use it. */
export interface Simulation {
  app: App
  world: MockWorld
  /** Say something and wait until the bot has handled it and sent every reply. */
  say(from: string, text: string, o?: { room?: string; mention?: boolean; private?: boolean; id?: string }): Promise<void>
  stop(): Promise<void>
}

/** Start the real bot on wechaty-puppet-mock with every configured group as a room. */
export async function startSimulation(o: {
  deps: Deps
  onSent?: (m: SentMessage) => void
  jobs?: Parameters<typeof startApp>[0]['jobs']
  /** Serve the web console (default: config.console.enabled). */
  console?: boolean
  /** Watch Redis persistence (see startApp). */
  redisWatch?: Parameters<typeof startApp>[0]['redisWatch']
}): Promise<Simulation> {
  const world = createMockWorld(o.deps.config)
  if (o.onSent) world.onSent(o.onSent)
  const app = await startApp({ deps: o.deps, puppet: world.puppet, jobs: o.jobs ?? defaultJobs, console: o.console, redisWatch: o.redisWatch })
  world.login()

  const nextMessageFrom = (from: string) => new Promise<void>((resolve) => {
    const listener = (m: Message) => {
      if (m.self() || m.talker().name() !== from) return
      app.bot.off('message', listener)
      resolve()
    }
    app.bot.on('message', listener)
  })

  return {
    app,
    world,
    async say(from, text, opts = {}) {
      const received = nextMessageFrom(from)
      world.say(from, text, opts)
      await received
      await app.settled()
    },
    stop: () => app.stop(),
  }
}
