import { SendError } from '../send/send-error.ts'

/** WeCom refused the bot id or secret (errcode 853000); retrying cannot help. */
export class WecomAuthError extends Error {
  readonly code = 853000
  constructor() {
    super('企业微信机器人 ID 或 Secret 不正确（错误码 853000），请在企业微信管理后台核对后，重新设置 WECOM_BOT_ID 和 WECOM_BOT_SECRET。')
    this.name = 'WecomAuthError'
  }
}

/**
 * WeCom refused a send; `code` is its errcode (-1 when the failure had none, e.g. a timeout).
 * The puppet has already retried what can be retried safely (an unacknowledged send may have
 * been delivered), so it is not retryable: callers must not send it again.
 */
export class WecomSendError extends SendError {
  constructor(readonly code: number, errmsg: string) {
    super(`企业微信消息发送失败（错误码 ${code}：${errmsg}）`, { retryable: false })
    this.name = 'WecomSendError'
  }
}

/** errcode of an SDK failure: the SDK rejects with the ack frame itself, or with an Error. */
export function errcodeOf(err: unknown): number {
  if (err && typeof err === 'object' && typeof (err as { errcode?: unknown }).errcode === 'number') {
    return (err as { errcode: number }).errcode
  }
  const match = /\(code: (-?\d+)\)/.exec(err instanceof Error ? err.message : String(err))
  return match ? Number(match[1]) : -1
}

/** errmsg (or message) of an SDK failure, for logs. */
export function errmsgOf(err: unknown): string {
  if (err instanceof Error) return err.message
  if (err && typeof err === 'object' && 'errmsg' in err) return String((err as { errmsg: unknown }).errmsg)
  return String(err)
}
