import { WechatyBuilder, type Wechaty } from 'wechaty'
import type { PuppetInterface } from 'wechaty-puppet/impls'
import type { Deps } from './deps.ts'
import { compose } from './bot/compose.ts'
import { admission, routes } from './bot/routes.ts'
import { createOutbox, type Outbox } from './bot/outbox.ts'
import { createMessageListener } from './bot/listener.ts'
import { createWechatyMessenger, type GroupChannels } from './bot/wechaty-messenger.ts'
import type { Messenger } from './bot/messenger.ts'
import { createAccountRouter, type Account, type AccountRouter, type AccountStart } from './bot/accounts.ts'
import type { Clock } from './clock.ts'
import type { Sleep } from './send/rate-window.ts'
import { createBroadcastChannels } from './channels/broadcast-channels.ts'
import type { PlatformExtras } from './bot/platform.ts'
import { recordAnswerFeedback } from './bot/answer-feedback.ts'
import { startJournalReplay } from './reflections/journal-replay.ts'
import { startRedisWatch } from './bot/redis-watch.ts'
import { createJobLifecycle, type Job } from './jobs/lifecycle.ts'
import type { ConsoleServer } from './console/server.ts'

/** A running bot: its Wechaty accounts, what they were built from, and how to stop it. */
export interface App {
  /** The first (or only) account's Wechaty. */
  bot: Wechaty
  deps: Deps
  /** Reaches every group through the account hosting it (jobs, console, notices use it). */
  messenger: Messenger
  /** The first (or only) account's outbox. */
  outbox: Outbox
  /** Every account, in config order, each with its own Wechaty, outbox and pacing. */
  accounts: Account[]
  /** Which account hosts each group. */
  router: AccountRouter
  /** The web console, when config.console.enabled and its port could be bound. */
  console?: ConsoleServer
  /** Resolves when no message is being handled and nothing is waiting to be sent. */
  settled(): Promise<void>
  /** Graceful stop: stop taking messages, finish those in flight, stop jobs and the bot. */
  stop(): Promise<void>
}

/** Wire deps -> bots -> jobs, and start one Wechaty per account. */
export async function startApp(opts: {
  deps: Deps
  /** The puppet of the only account (config.accounts[0]); `accounts` instead starts several. */
  puppet?: PuppetInterface | string
  puppetOptions?: Record<string, unknown>
  /** What the platform adds, for `puppet`. */
  platform?: PlatformExtras
  /** Several accounts in this process, one Wechaty each, each paced on its own. */
  accounts?: AccountStart[]
  /** The clock and sleep every outbox paces by (tests pass a manual clock); default monotonic time. */
  pace?: { clock: Clock; sleep: Sleep }
  /** Group robots and refusal notices; default: from the config's webhooks. */
  channels?: GroupChannels
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
  const starts = opts.accounts ?? [{ account: config.accounts[0], puppet: opts.puppet!, puppetOptions: opts.puppetOptions, platform: opts.platform }]
  if (!starts.length || starts.some((s) => !s.puppet)) throw new Error('startApp needs a puppet for every account')
  const several = starts.length > 1

  // reflections journaled while Redis was down reach it as soon as it is back
  const journalReplay = startJournalReplay(deps)
  let router: AccountRouter | undefined
  const channels = opts.channels ?? createBroadcastChannels(config, log, () => router!.messenger)
  const accounts: Account[] = starts.map(({ account, puppet, puppetOptions, platform }) => {
    const bot = WechatyBuilder.build({ puppet: puppet as never, puppetOptions: puppetOptions as never })
    const accountLog = several ? log.child({ account: account.id }) : log
    // each account has its own outbox, so its own rate window: accounts are paced apart
    const outbox = createOutbox({
      log: accountLog, intervalMs: account.sendIntervalMs, maxBytes: platform?.maxMessageBytes ?? config.bot.maxMessageBytes,
      retries: config.bot.sendRetries, clock: opts.pace?.clock, sleep: opts.pace?.sleep,
    })
    const messenger = createWechatyMessenger({ bot, config, outbox, log: accountLog, seen: deps.stores.seen, rooms: deps.stores.groupRooms, channels })
    return { id: account.id, bot, outbox, messenger, groups: account.groups }
  })
  router = createAccountRouter(accounts, log)
  const { messenger } = router
  const loggedIn = () => accounts.some((a) => a.bot.isLoggedIn)
  // Redis without persistence, or come back empty: the operator and the secretaries hear of it
  const redisWatch = opts.redisWatch && startRedisWatch({
    deps, messenger, warnOperator: opts.redisWatch.warnOperator,
    loggedIn: () => (loggedIn() ? Promise.resolve() : new Promise<void>((resolve) => { for (const a of accounts) a.bot.once('login', () => resolve()) })),
  })
  const run = compose(routes)
  const listeners = accounts.map((a, i) => {
    const view = router!.viewOf(a)
    const { platform } = starts[i]
    platform?.onAnswerFeedback?.((f) => recordAnswerFeedback(deps, view, f)
      .catch((err: unknown) => log.error({ err, messageId: f.messageId }, 'answer feedback not recorded')))
    return createMessageListener({ deps, bot: a.bot, outbox: a.outbox, messenger: view, admission, run, progress: platform?.progress })
  })
  // the jobs run while any account is logged in; a group whose account is out is handed over or retried
  const jobs = createJobLifecycle({ jobs: opts.jobs?.(deps, messenger) ?? [], log, shouldRun: loggedIn })

  let stopping = false
  accounts.forEach((a, i) => {
    const { bot } = a
    const who = several ? { account: a.id } : {}
    // Wechaty's emitter drops async rejections: every listener body catches its own errors.
    bot.on('message', (m) => listeners[i].onMessage(m))
    bot.on('login', (user) => {
      log.info({ user: user.name(), ...who }, 'logged in')
      void jobs.start()
    })
    bot.on('logout', (user) => {
      log[stopping ? 'info' : 'warn']({ user: user.name(), ...who }, 'logged out')
      if (!loggedIn()) void jobs.stop()
    })
    bot.on('error', (err) => log.error({ err, ...who }, 'wechaty error'))
  })
  for (const a of accounts) await a.bot.start()
  // the bot keeps working without its console (e.g. another instance holds the port on this machine)
  const web = opts.console ?? config.console.enabled
    // Hono and the console's pages load only when it is served
    ? await import('./console/server.ts').then(({ startConsole }) => startConsole({ deps, messenger })).catch((err) => {
      log.error({ err, host: config.console.host, port: config.console.port }, 'console failed to start')
      return undefined
    })
    : undefined

  return {
    bot: accounts[0].bot, deps, messenger, outbox: accounts[0].outbox, accounts, router, console: web,
    async settled() {
      for (const l of listeners) await l.settled()
      for (const a of accounts) await a.outbox.idle()
    },
    // in order: no new messages, no jobs, nothing left to send, then the bots and what uses Redis
    async stop() {
      stopping = true
      await web?.stop()
      await Promise.all(listeners.map((l) => l.drain()))
      await jobs.close()
      await Promise.all(accounts.map((a) => a.outbox.idle()))
      for (const a of accounts) await a.bot.stop()
      await journalReplay.stop()
      await redisWatch?.stop()
      deps.library.close()
    },
  }
}
