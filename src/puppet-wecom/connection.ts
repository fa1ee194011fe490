import type { WSClient } from '@wecom/aibot-node-sdk'
import type { Logger } from '../log.ts'
import type { Clock } from '../clock.ts'
import { WecomOfflineError, WecomSendError, errcodeOf, errmsgOf } from './errors.ts'

const AUTH_INVALID = 853000
const TAKEN_OVER = 'another connection took over this bot'

/** Options of the connection keeper. */
export interface ConnectionOptions {
  log: Logger
  clock: Clock
  /** After the SDK's own retries are spent, try again this often (DOC: avoid re-subscribing often). */
  retryEveryMs: number
  /** How long a send waits for the connection to come back before it fails. */
  offlineWaitMs: number
  /** The connection is up (again); the puppet logs in if it is not. */
  onOnline(): void
  /** It ended for good (another instance took over, or the credentials were refused). */
  onEnded(reason: string): Promise<void>
}

/**
 * Keeps one subscribed SDK client connected for as long as the puppet runs. The SDK reconnects
 * by itself with backoff but gives up after its attempts (about 3 minutes); from then on this
 * tries every `retryEveryMs`, forever, so a night-time outage does not silence the bot. It logs
 * an error once when the SDK gives up and a warning when the connection is back. A takeover by
 * another connection, or refused credentials, end it: reconnecting would only fight the other one.
 */
export function keepConnected(client: WSClient, opts: ConnectionOptions) {
  const { log, clock } = opts
  let online = true
  let ended: string | undefined
  let lostAt: number | undefined
  let droppedAt: number | undefined
  let retryTimer: NodeJS.Timeout | undefined
  const waiters = new Set<() => void>()

  const guard = (event: string, body: () => void | Promise<void>) => {
    Promise.resolve().then(body).catch((err: unknown) => log.error({ err, event }, 'wecom connection handler failed'))
  }

  const end = (reason: string) => {
    if (ended) return
    ended = reason
    online = false
    clearTimeout(retryTimer)
    for (const wake of waiters) wake()
    guard('ended', () => opts.onEnded(reason))
  }

  const retryLater = () => {
    if (ended) return
    if (lostAt === undefined) {
      lostAt = droppedAt ?? clock.now()
      log.error({ retryEveryMs: opts.retryEveryMs }, 'wecom connection lost and the sdk stopped retrying; retrying on our own, the bot stays logged in')
    }
    clearTimeout(retryTimer)
    retryTimer = setTimeout(() => {
      if (ended) return
      // connect() refuses while the SDK thinks it is started; disconnect() resets that
      client.disconnect()
      client.connect()
    }, opts.retryEveryMs)
    retryTimer.unref()
  }

  // disconnected_event arrives as an event frame before the SDK reports the disconnect
  client.on('event.disconnected_event', () => {
    log.error({}, 'another instance connected to this wecom bot; this one stops and will not reconnect')
    end(TAKEN_OVER)
  })
  client.on('authenticated', () => guard('authenticated', () => {
    if (ended) return
    online = true
    if (lostAt !== undefined) log.warn({ downMs: clock.now() - lostAt }, 'wecom connection recovered')
    else if (droppedAt !== undefined) log.info({ downMs: clock.now() - droppedAt }, 'wecom connection back')
    lostAt = undefined
    droppedAt = undefined
    for (const wake of waiters) wake()
    opts.onOnline()
  }))
  client.on('disconnected', (reason: string) => guard('disconnected', () => {
    if (ended || !online) return
    online = false
    droppedAt = clock.now()
    log.warn({ reason }, 'wecom connection dropped; reconnecting')
  }))
  client.on('error', (err: Error) => guard('error', () => {
    if (ended) return
    const code = errcodeOf(err)
    if (code === AUTH_INVALID) {
      log.error({ code }, 'wecom refused the bot id or secret on reconnect; stopping')
      client.disconnect()
      end('wecom credentials refused')
    } else if (err.name === 'WSAuthFailureError') {
      log.error({ err }, 'wecom kept refusing the subscription; stopping')
      end('wecom subscription refused')
    } else if (err.name === 'WSReconnectExhaustedError') {
      retryLater()
    } else {
      // while the outage lasts every attempt fails the same way; the error above said so once
      log[lostAt === undefined ? 'warn' : 'debug']({ code, errmsg: errmsgOf(err) }, 'wecom connection error')
    }
  }))

  return {
    /** The client once it is connected, waiting up to `offlineWaitMs` for a reconnect. */
    async ready(): Promise<WSClient> {
      if (ended) throw stoppedError(ended)
      if (online) return client
      await new Promise<void>((resolve) => {
        const wake = () => { waiters.delete(wake); clearTimeout(timer); resolve() }
        const timer = setTimeout(wake, opts.offlineWaitMs)
        timer.unref()
        waiters.add(wake)
      })
      if (!online) throw ended ? stoppedError(ended) : new WecomOfflineError()
      return client
    },
    /** Stop retrying and release waiting sends (the puppet is stopping). */
    stop(): void {
      ended ??= 'stopped'
      online = false
      clearTimeout(retryTimer)
      for (const wake of waiters) wake()
    },
  }
}

function stoppedError(reason: string): WecomSendError {
  const why = reason === TAKEN_OVER ? '另一个程序登录了同一个机器人' : '程序正在停止或凭据被拒绝'
  return new WecomSendError(-2, reason, `企业微信连接已停止（${why}），消息未发出`, false, 'offline')
}

/** The keeper's type. */
export type Connection = ReturnType<typeof keepConnected>
