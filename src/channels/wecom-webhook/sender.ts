import type { Logger } from '../../log.ts'
import { systemClock, type Clock } from '../../clock.ts'
import type { RateLimit, Sleep } from '../../send/rate-window.ts'
import { SendError } from '../../send/send-error.ts'
import { createSendQueue } from '../../send/send-queue.ts'
import { splitText } from '../../bot/split-text.ts'

/** The group robot was removed from its group, or the key is wrong (errcode 93000). */
export class WebhookRemovedError extends SendError {
  readonly code = 93000
  /** Not retryable: a secretary must fix the robot or its key. */
  constructor() { super('群机器人已被移出群聊或 key 不正确', { retryable: false, failure: 'refused' }) }
}

/** The webhook refused a message; only a frequency-limit answer (45009) is worth retrying, and only here. */
export class WebhookSendError extends SendError {
  constructor(readonly code: number, errmsg: string) {
    super(`群机器人消息发送失败（错误码 ${code}：${errmsg}）`, { retryable: code === FREQUENCY_LIMIT, failure: 'refused' })
  }
}

/** Options of a group-robot webhook sender. */
export interface WebhookSenderOptions {
  /** The robot's key, or its full webhook URL. */
  urlOrKey: string
  log: Logger
  clock?: Clock
  sleep?: Sleep
  /** Messages per window per robot; WeCom allows 20 per minute, failed sends counted. */
  limit?: RateLimit
  /** Attempts after a 45009 (frequency limit) answer or a network failure, and the first backoff. */
  retries?: number
  retryBaseMs?: number
  fetch?: typeof fetch
}

// Content limits of the group robot, in UTF-8 bytes.
const MAX_TEXT_BYTES = 2048
const MAX_MARKDOWN_BYTES = 4096
const FREQUENCY_LIMIT = 45009
const REMOVED = 93000

/** Full webhook URL for a key; a value that already is a URL is used as is. */
export function webhookUrl(urlOrKey: string): string {
  if (/^https?:\/\//.test(urlOrKey)) return urlOrKey
  return `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${encodeURIComponent(urlOrKey)}`
}

/** Sends text or markdown into one group through its group robot, split, paced and retried. */
export function createWebhookSender(opts: WebhookSenderOptions) {
  const url = webhookUrl(opts.urlOrKey)
  const clock = opts.clock ?? systemClock
  const doFetch = opts.fetch ?? fetch
  // one robot, one queue: its messages keep their order and share its rate limit
  const queue = createSendQueue({
    limit: opts.limit ?? { count: 20, windowMs: 60_000 },
    clock,
    sleep: opts.sleep,
    retry: {
      retries: opts.retries ?? 3,
      retryBaseMs: opts.retryBaseMs ?? 5_000,
      onFailure: (err, { attempt, willRetry }) => {
        const code = (err as { code?: number }).code
        opts.log.warn({ ...(code === undefined ? { err } : { code, errmsg: (err as Error).message }), attempt, retry: willRetry }, 'webhook send rejected')
      },
    },
  })

  const post = (body: unknown): Promise<void> => queue.attempt('robot', async () => {
    const res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    // Errors come with HTTP 200 and the code in the body.
    const reply = await res.json().catch(() => ({ errcode: res.status, errmsg: res.statusText })) as { errcode?: number; errmsg?: string }
    const code = reply.errcode ?? -1
    if (code === 0) return
    if (code === REMOVED) throw new WebhookRemovedError()
    throw new WebhookSendError(code, reply.errmsg ?? '')
  })

  return {
    /**
     * Send `text` (as markdown when asked), split to the robot's size limits. Mentions are
     * userids: `mentioned_list` for text, `<@userid>` in front of the first markdown part.
     */
    send(text: string, o: { markdown?: boolean; mentions?: string[] } = {}): Promise<void> {
      const mentions = o.mentions ?? []
      const run = async () => {
        if (o.markdown) {
          const prefix = mentions.map((id) => `<@${id}>`).join(' ')
          const content = prefix ? `${prefix}\n${text}` : text
          for (const part of splitText(content, MAX_MARKDOWN_BYTES)) {
            await post({ msgtype: 'markdown', markdown: { content: part } })
          }
          return
        }
        for (const [i, part] of splitText(text, MAX_TEXT_BYTES).entries()) {
          const mentioned = i === 0 && mentions.length ? { mentioned_list: mentions } : {}
          await post({ msgtype: 'text', text: { content: part, ...mentioned } })
        }
      }
      return queue.run('robot', run)
    },
  }
}

/** The sender's type, for whoever holds one. */
export type WebhookSender = ReturnType<typeof createWebhookSender>
