import { WechatyBuilder, type Wechaty } from 'wechaty'
import type { PuppetInterface } from 'wechaty-puppet/impls'
import type { Deps } from './deps.ts'
import { compose } from './bot/compose.ts'
import { admission, routes } from './bot/routes.ts'
import { createOutbox, type Outbox } from './bot/outbox.ts'
import { createMessageListener } from './bot/listener.ts'
import { createWechatyMessenger, type GroupChannels } from './bot/wechaty-messenger.ts'
import type { Messenger } from './bot/messenger.ts'
import { createBroadcastChannels } from './channels/broadcast-channels.ts'
import type { PlatformExtras } from './bot/platform.ts'
import { recordAnswerFeedback } from './bot/answer-feedback.ts'
import { startJournalReplay } from './reflections/journal-replay.ts'
import { startRedisWatch } from './bot/redis-watch.ts'
import { createJobLifecycle, type Job } from './jobs/lifecycle.ts'
import type { ConsoleServer } from './console/server.ts'

/** A running bot: the Wechaty instance, what it was built from, and how to stop it. */
export interface App {
  bot: Wechaty
  deps: Deps
  messenger: Messenger
  outbox: Outbox
  /** The web console, when config.console.enabled and its port could be bound. */
  console?: ConsoleServer
  /** Resolves when no message is being handled and nothing is waiting to be sent. */
  settled(): Promise<void>
  /** Graceful stop: stop taking messages, finish those in flight, stop jobs and the bot. */
  stop(): Promise<void>
}

/** Wire deps -> bot -> jobs, and start the bot on the given puppet. */
export async function startApp(opts: {
  deps: Deps
  puppet: PuppetInterface | string
  puppetOptions?: Record<string, unknown>
  /** Group robots and refusal notices; default: from the config's webhooks. */
  channels?: GroupChannels
  /** What the platform adds (WeCom: longer messages, the thinking frame, answer ratings). */
  platform?: PlatformExtras
  /** Jobs to run while logged in, built from the deps and the messenger. */
  jobs?: (deps: Deps, messenger: Messenger) => Job[]
  /** Serve the web console (default: config.console.enabled; one-shot runs such as `play` pass false). */
  console?: boolean
  /**
   * Check Redis persistence at start and on every reconnect, and tell the secretaries when it came
   * back empty (`studybot start`; not for throwaway runs such as `play`). `warnOperator` is where
   * the operator reads the Chinese warning (the terminal); it is logged too.
   */
  redisWatch?: { warnOperator?: (text: string) => void }
}): Promise<App> {
  const { deps } = opts
  const { config, log } = deps

  // reflections journaled while Redis was down reach it as soon as it is back
  const journalReplay = startJournalReplay(deps)
  const bot = WechatyBuilder.build({ puppet: opts.puppet as never, puppetOptions: opts.puppetOptions as never })
  const outbox = createOutbox({
    log, intervalMs: config.bot.sendIntervalMs, maxBytes: opts.platform?.maxMessageBytes ?? config.bot.maxMessageBytes, retries: config.bot.sendRetries,
  })
  const messenger = createWechatyMessenger({
    bot, config, outbox, log, seen: deps.stores.seen, rooms: deps.stores.groupRooms,
    channels: opts.channels ?? createBroadcastChannels(config, log, () => messenger),
  })
  // Redis without persistence, or come back empty: the operator and the secretaries hear of it
  const redisWatch = opts.redisWatch && startRedisWatch({
    deps, messenger, warnOperator: opts.redisWatch.warnOperator,
    loggedIn: () => (bot.isLoggedIn ? Promise.resolve() : new Promise<void>((resolve) => { bot.once('login', () => resolve()) })),
  })
  const listener = createMessageListener({ deps, bot, outbox, messenger, admission, run: compose(routes), progress: opts.platform?.progress })
  opts.platform?.onAnswerFeedback?.((f) => recordAnswerFeedback(deps, messenger, f)
    .catch((err: unknown) => log.error({ err, messageId: f.messageId }, 'answer feedback not recorded')))
  const jobs = createJobLifecycle({ jobs: opts.jobs?.(deps, messenger) ?? [], log, shouldRun: () => bot.isLoggedIn })

  // Wechaty's emitter drops async rejections: every listener body catches its own errors.
  bot.on('message', (m) => listener.onMessage(m))
  bot.on('login', (user) => {
    log.info({ user: user.name() }, 'logged in')
    void jobs.start()
  })
  let stopping = false
  bot.on('logout', (user) => {
    log[stopping ? 'info' : 'warn']({ user: user.name() }, 'logged out')
    void jobs.stop()
  })
  bot.on('error', (err) => log.error({ err }, 'wechaty error'))
  await bot.start()
  // the bot keeps working without its console (e.g. another instance holds the port on this machine)
  const web = opts.console ?? config.console.enabled
    // Hono and the console's pages load only when it is served
    ? await import('./console/server.ts').then(({ startConsole }) => startConsole({ deps, messenger })).catch((err) => {
      log.error({ err, host: config.console.host, port: config.console.port }, 'console failed to start')
      return undefined
    })
    : undefined

  return {
    bot, deps, messenger, outbox, console: web,
    async settled() {
      await listener.settled()
      await outbox.idle()
    },
    // in order: no new messages, no jobs, nothing left to send, then the bot and what uses Redis
    async stop() {
      stopping = true
      await web?.stop()
      await listener.drain()
      await jobs.close()
      await outbox.idle()
      await bot.stop()
      await journalReplay.stop()
      await redisWatch?.stop()
      deps.library.close()
    },
  }
}
