import type { Logger } from '../../log.ts'
import { systemClock, type Clock } from '../../clock.ts'
import { createRateWindow, realSleep, type RateLimit, type Sleep } from '../rate-window.ts'
import { splitText } from '../../bot/split-text.ts'

/** The group robot was removed from its group, or the key is wrong (errcode 93000). */
export class WebhookRemovedError extends Error {
  readonly code = 93000
  /** Retrying cannot help: a secretary must fix the robot or its key. */
  readonly permanent = true
  constructor() { super('群机器人已被移出群聊或 key 不正确') }
}

/** The webhook refused a message for another reason, or kept refusing after every retry. */
export class WebhookSendError extends Error {
  constructor(readonly code: number, errmsg: string) { super(`群机器人消息发送失败（错误码 ${code}：${errmsg}）`) }
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
  /** Attempts after a 45009 (frequency limit) answer, and the first backoff. */
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
  const sleep = opts.sleep ?? realSleep
  const doFetch = opts.fetch ?? fetch
  const window = createRateWindow({ limit: opts.limit ?? { count: 20, windowMs: 60_000 }, clock, sleep })
  const retries = opts.retries ?? 3
  const retryBaseMs = opts.retryBaseMs ?? 5_000
  let tail: Promise<unknown> = Promise.resolve()

  const post = async (body: unknown): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      await window.acquire('robot')
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      // Errors come with HTTP 200 and the code in the body.
      const reply = await res.json().catch(() => ({ errcode: res.status, errmsg: res.statusText })) as { errcode?: number; errmsg?: string }
      const code = reply.errcode ?? -1
      if (code === 0) return
      opts.log.warn({ code, errmsg: reply.errmsg, attempt: attempt + 1 }, 'webhook send rejected')
      if (code === REMOVED) throw new WebhookRemovedError()
      if (code !== FREQUENCY_LIMIT || attempt >= retries) throw new WebhookSendError(code, reply.errmsg ?? '')
      await sleep(retryBaseMs * 2 ** attempt)
    }
  }

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
      const result = tail.then(run)
      tail = result.catch(() => undefined)
      return result
    },
  }
}

/** The sender's type, for whoever holds one. */
export type WebhookSender = ReturnType<typeof createWebhookSender>
