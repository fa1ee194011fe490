import { SendError, type SendFailure } from '../send/send-error.ts'

/** WeCom refused the bot id or secret (errcode 853000); retrying cannot help. */
export class WecomAuthError extends Error {
  readonly code = 853000
  constructor() {
    super('企业微信机器人 ID 或 Secret 不正确（错误码 853000），请在企业微信管理后台核对后，重新设置 WECOM_BOT_ID 和 WECOM_BOT_SECRET。')
    this.name = 'WecomAuthError'
  }
}

/**
 * WeCom refused a send; `code` is its errcode (-1 when the failure had none). The puppet has
 * already retried what can be retried safely, so it is not retryable: callers must not send it again.
 */
export class WecomSendError extends SendError {
  constructor(
    readonly code: number, readonly errmsg: string,
    message = `企业微信消息发送失败（错误码 ${code}：${errmsg}）`, retryable = false, failure: SendFailure = 'refused',
  ) {
    super(message, { retryable, failure })
  }
}

/**
 * WeCom refused a proactive send because nobody has messaged the bot in that conversation
 * recently ("需要主动向群组内bot发送消息以激活对话"); only a member's message there lifts it.
 */
export class WecomNotActivatedError extends WecomSendError {
  constructor(code: number, errmsg: string) {
    super(code, errmsg, '企业微信不允许机器人在最近没有人和它说过话的会话里主动发言（需要有人先 @ 机器人或私聊它一次）', false, 'not-activated')
  }
}

/**
 * The frame went out but WeCom's ack did not arrive in time (the SDK waits 5 s; real acks
 * sometimes take longer). It was most likely delivered: sending it again would show it twice.
 */
export class WecomUnconfirmedError extends WecomSendError {
  /** Delivery unconfirmed: recorded as such, never resent. */
  readonly unconfirmed = true
  constructor(errmsg: string) {
    super(-1, errmsg, '消息已发出，但企业微信没有确认送达（等待回执超时）；为避免重复，不再重发', false, 'unconfirmed')
  }
}

/**
 * The connection to WeCom was down for the whole wait: nothing was sent, so a later retry is
 * safe. Code -2 (ours) keeps the puppet's queue from repeating the wait.
 */
export class WecomOfflineError extends WecomSendError {
  constructor() {
    super(-2, 'offline', '与企业微信的连接已中断，消息未发出（机器人正在自动重连）', true, 'offline')
  }
}

// REPORT WecomTeam/wecom-openclaw-plugin#121: 93006 "invalid chatid" for a chatid the bot has no conversation with.
const INVALID_CHATID = 93006

/** The typed, final error for a send the puppet gives up on (an SDK failure or one of ours). */
export function classifySendError(err: unknown): WecomSendError {
  if (err instanceof WecomSendError) return err
  const code = errcodeOf(err)
  const errmsg = errmsgOf(err)
  if (isAckTimeout(err)) return new WecomUnconfirmedError(errmsg)
  if (code === INVALID_CHATID || /激活/.test(errmsg)) return new WecomNotActivatedError(code, errmsg)
  return new WecomSendError(code, errmsg)
}

/** Whether an SDK failure is its reply-ack timeout (the frame was sent; its fate is unknown). */
export function isAckTimeout(err: unknown): boolean {
  return /ack timeout/i.test(errmsgOf(err))
}

/** errcode of an SDK failure: the SDK rejects with the ack frame itself, or with an Error. */
export function errcodeOf(err: unknown): number {
  if (err instanceof WecomSendError) return err.code
  if (err && typeof err === 'object' && typeof (err as { errcode?: unknown }).errcode === 'number') {
    return (err as { errcode: number }).errcode
  }
  const match = /\(code: (-?\d+)\)/.exec(err instanceof Error ? err.message : String(err))
  return match ? Number(match[1]) : -1
}

/** errmsg (or message) of an SDK failure, for logs. */
export function errmsgOf(err: unknown): string {
  if (err instanceof WecomSendError) return err.errmsg
  if (err instanceof Error) return err.message
  if (err && typeof err === 'object' && 'errmsg' in err) return String((err as { errmsg: unknown }).errmsg)
  return String(err)
}
