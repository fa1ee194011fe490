import { WechatyBuilder, type Wechaty } from 'wechaty'
import type { PuppetInterface } from 'wechaty-puppet/impls'
import OpenAI from 'openai'
import type { Config } from './config.ts'
import type { Deps } from './deps.ts'
import type { Logger } from './log.ts'
import { systemClock, type Clock } from './clock.ts'
import type { Redis } from './store/redis.ts'
import { createKeys, type Keys } from './store/keys.ts'
import { createHandledMessages } from './store/handled-messages.ts'
import { createSeenMembers } from './store/seen-members.ts'
import type { MaterialLibrary } from './materials/types.ts'
import { withConfiguredRanking } from './materials/hybrid-search.ts'
import { compose } from './bot/compose.ts'
import { routes } from './bot/routes.ts'
import { createOutbox, type Outbox } from './bot/outbox.ts'
import { createMessageListener } from './bot/listener.ts'
import { createWechatyMessenger, type BroadcastChannel } from './bot/wechaty-messenger.ts'
import type { Messenger } from './bot/messenger.ts'
import { createBroadcastChannels } from './channels/broadcast-channels.ts'
import { startJournalReplay } from './store/reflection-journal.ts'

const JOB_RETRY_MS = 30_000

/** A running bot: the Wechaty instance, what it was built from, and how to stop it. */
export interface App {
  bot: Wechaty
  deps: Deps
  messenger: Messenger
  outbox: Outbox
  /** Resolves when no message is being handled and nothing is waiting to be sent. */
  settled(): Promise<void>
  /** Graceful stop: stop taking messages, finish those in flight, stop jobs and the bot. */
  stop(): Promise<void>
}

/** Something started on login and stopped on logout or shutdown (the scheduler). */
export interface Job {
  start(): void | Promise<void>
  stop(): void | Promise<void>
}

/** Wire config -> deps -> bot -> jobs, and start the bot on the given puppet. */
export async function startApp(opts: {
  config: Config
  log: Logger
  redis: Redis
  library: MaterialLibrary
  puppet: PuppetInterface | string
  puppetOptions?: Record<string, unknown>
  clock?: Clock
  keys?: Keys
  broadcastChannels?: Record<string, BroadcastChannel>
  /** Jobs to run while logged in, built from the deps and the messenger. */
  jobs?: (deps: Deps, messenger: Messenger) => Job[]
}): Promise<App> {
  const { config, log, redis } = opts
  const llm = config.llm
    ? new OpenAI({ baseURL: config.llm.baseURL, apiKey: config.secrets.llmApiKey ?? 'none', timeout: config.llm.timeoutMs, maxRetries: 0 })
    : undefined
  const keys = opts.keys ?? createKeys()
  const library = withConfiguredRanking(opts.library, { config, llm, log, redis, keys })
  const deps: Deps = { config, log, redis, library, llm, keys, clock: opts.clock ?? systemClock }

  // reflections journaled while Redis was down reach it as soon as it is back
  const journalReplay = startJournalReplay(deps)
  const bot = WechatyBuilder.build({ puppet: opts.puppet as never, puppetOptions: opts.puppetOptions as never })
  const outbox = createOutbox({
    log, intervalMs: config.bot.sendIntervalMs, maxBytes: config.bot.maxMessageBytes, retries: config.bot.sendRetries,
  })
  const seen = createSeenMembers(redis, deps.keys, log)
  const messenger = createWechatyMessenger({
    bot, config, outbox, log, seen,
    broadcastChannels: opts.broadcastChannels ?? createBroadcastChannels(config, log, () => messenger),
  })
  const listener = createMessageListener({
    deps, bot, outbox, messenger,
    handled: createHandledMessages(redis, deps.keys, log),
    seen,
    run: compose(routes),
  })
  const jobs = opts.jobs?.(deps, messenger) ?? []
  let jobsRunning = false
  let retryTimer: NodeJS.Timeout | undefined
  const startJobs = async (): Promise<void> => {
    if (jobsRunning) return
    jobsRunning = true
    try {
      for (const job of jobs) await job.start()
    } catch (err) {
      // e.g. Redis down at login: stop what started and try again, so missed slots still catch up
      log.error({ err }, 'jobs failed to start, retrying in 30 s')
      await stopJobs().catch(() => undefined)
      retryTimer = setTimeout(() => { if (bot.isLoggedIn) void startJobs() }, JOB_RETRY_MS)
    }
  }
  const stopJobs = async () => {
    clearTimeout(retryTimer)
    if (!jobsRunning) return
    jobsRunning = false
    for (const job of jobs) await job.stop()
  }

  // Wechaty's emitter drops async rejections: every listener body catches its own errors.
  bot.on('message', (m) => listener.onMessage(m))
  bot.on('login', (user) => {
    log.info({ user: user.name() }, 'logged in')
    void startJobs()
  })
  let stopping = false
  bot.on('logout', (user) => {
    log[stopping ? 'info' : 'warn']({ user: user.name() }, 'logged out')
    stopJobs().catch((err) => log.error({ err }, 'jobs failed to stop'))
  })
  bot.on('error', (err) => log.error({ err }, 'wechaty error'))
  await bot.start()

  return {
    bot, deps, messenger, outbox,
    async settled() {
      await listener.settled()
      await outbox.idle()
    },
    async stop() {
      stopping = true
      await listener.drain()
      await stopJobs()
      await outbox.idle()
      await bot.stop()
      await journalReplay.stop()
      library.close()
    },
  }
}
