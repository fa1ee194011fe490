import * as PUPPET from 'wechaty-puppet'
import { FileBox, type FileBoxInterface } from 'file-box'
import { WSClient, type WsFrame } from '@wecom/aibot-node-sdk'
import pino from 'pino'
import type { Logger } from '../log.ts'
import { systemClock, type Clock } from '../clock.ts'
import type { RateLimit, Sleep } from '../send/rate-window.ts'
import { createSendQueue } from '../send/send-queue.ts'
import { WecomAuthError, errcodeOf } from './errors.ts'
import {
  contactPayloadOf, conversationIdOf, feedbackOf, messagePayloadOf, renderMentions, roomPayloadOf,
  type EventBody, type IncomingBody,
} from './frames-to-payloads.ts'
import { createDirectory, type Directory } from './directory.ts'
import { createReplyWindows } from './reply-windows.ts'
import { keepConnected, type Connection } from './connection.ts'
import { createReplies, MAX_STREAM_BYTES } from './replies.ts'
import { sdkLogger } from './sdk-logger.ts'

/** Options of the WeCom intelligent-bot puppet; everything arrives here, nothing is read from env. */
export interface PuppetWecomOptions extends PUPPET.PuppetOptions {
  botId: string
  secret: string
  /** Long-connection endpoint; defaults to the SDK's wss://openws.work.weixin.qq.com. */
  wsUrl?: string
  /** The bot's display name in WeCom (used to strip `@BotName` and as its contact name). */
  botName?: string
  /** userid -> name; WeCom sends userids only. */
  members?: Record<string, string>
  log?: Logger
  clock?: Clock
  sleep?: Sleep
  /** How long after a message its first reply frame may follow (DOC: 24 h). */
  replyWindowMs?: number
  /** A stream's lifetime from its first frame (DOC: 6 minutes); past it, sends go proactive. */
  streamLifetimeMs?: number
  /** Sends per conversation (WeCom: 30 per minute, replies and proactive sends together). */
  sendLimit?: RateLimit
  /** Retries of a send refused with a retryable code, and the first backoff. */
  retries?: number
  retryBaseMs?: number
  /** Passed to the SDK: heartbeat and reconnect timing (defaults 30 s, 1 s doubling, 10 attempts). */
  heartbeatIntervalMs?: number
  reconnectBaseMs?: number
  maxReconnectAttempts?: number
  /** After the SDK gave up, reconnect this often, forever (default 60 s). */
  reconnectEveryMs?: number
  /** How long a send waits for a dropped connection to come back (default 60 s). */
  offlineWaitMs?: number
  /** Sent when a member opens the private chat (`enter_chat`); none when empty. */
  welcome?: string
  /** The frame shown while an answer takes long (default 正在查找…). */
  thinkingText?: string
}

/** A member's verdict on one of the bot's answers (`feedback_event`). */
export interface AnswerFeedback {
  /** The msgid of the question the answer replied to (the stream's feedback id). */
  messageId: string
  userid: string
  /** The group's chatid, or the member's userid for a private chat. */
  conversationId: string
  verdict: 'accurate' | 'inaccurate' | 'withdrawn'
  /** DOC: the reasons a member ticked (codes) and what they wrote. */
  reasons: number[]
  comment: string
  /** The question and the answer, while the puppet still remembers them. */
  question?: string
  answer?: string
  roomId?: string
}

const AUTH_INVALID = 853000
const MAX_KEPT_MESSAGES = 2000
const VERDICTS: Record<number, AnswerFeedback['verdict']> = { 1: 'accurate', 2: 'inaccurate', 3: 'withdrawn' }
// what a stream that showed only the thinking frame ends with when nothing answers it
const ABANDONED_TEXT = '已处理完毕。'

/** A Wechaty puppet for WeCom's intelligent bot over its official long-connection SDK. */
export class PuppetWecom extends PUPPET.Puppet {
  private readonly log: Logger
  private readonly clock: Clock
  private readonly directory: Directory
  private readonly windows
  private readonly replies
  private readonly messages = new Map<string, { payload: PUPPET.payloads.Message; body: IncomingBody; answer?: string }>()
  private readonly feedbackHandlers = new Set<(f: AnswerFeedback) => void | Promise<void>>()
  private client?: WSClient
  private connection?: Connection
  /** Why the last start() failed, if it did: Wechaty's own start() only emits it as an 'error' event. */
  startError?: Error
  /** The longest text sent as one message: one stream frame holds 20,480 bytes. */
  readonly maxMessageBytes = MAX_STREAM_BYTES

  constructor (public override options: PuppetWecomOptions) {
    super(options)
    this.log = options.log ?? pino({ base: undefined })
    this.clock = options.clock ?? systemClock
    this.directory = createDirectory({ botId: options.botId, botName: options.botName, members: options.members ?? {} })
    this.windows = createReplyWindows({ lifetimeMs: options.replyWindowMs ?? 24 * 3_600_000, clock: this.clock })
    const queue = createSendQueue({
      clock: this.clock,
      sleep: options.sleep,
      limit: options.sendLimit ?? { count: 30, windowMs: 60_000 },
      retry: { retries: options.retries ?? 3, retryBaseMs: options.retryBaseMs ?? 1_000 },
    })
    this.replies = createReplies({
      log: this.log,
      clock: this.clock,
      queue,
      windows: this.windows,
      ready: () => this.ready(),
      isGroup: (id) => this.directory.isRoom(id),
      // a little under 6 minutes: the service counts from when it received the first frame
      streamLifetimeMs: options.streamLifetimeMs ?? 5.5 * 60_000,
      thinkingText: options.thinkingText ?? '正在查找…',
      abandonedText: ABANDONED_TEXT,
      onAnswered: (messageId, text) => { const kept = this.messages.get(messageId); if (kept) kept.answer = text },
    })
  }

  override name () { return 'puppet-wecom' }

  /**
   * Connect and subscribe before the puppet's state machine starts, so that wrong credentials
   * reject start() at once with WecomAuthError (instead of after its stop-while-starting wait).
   * Logs in once WeCom acknowledged the subscription.
   */
  // A field, not a method: wechaty-puppet's mixin typings declare `start` as a property.
  override start = async (): Promise<void> => {
    if (this.state.active()) return super.start()
    const client = this.createClient()
    this.startError = undefined
    await subscribed(client).catch((err: Error) => { this.startError = err; throw err })
    this.client = client
    this.watch(client)
    await super.start()
    this.login(this.options.botId)
    this.emit('ready', { data: 'wecom subscribed' })
  }

  override async onStart (): Promise<void> {}

  private createClient (): WSClient {
    const o = this.options
    // Unset timings are left out so the SDK's defaults (30 s heartbeat, 1 s doubling, 10 attempts) apply.
    const timings = Object.fromEntries(Object.entries({
      heartbeatInterval: o.heartbeatIntervalMs,
      reconnectInterval: o.reconnectBaseMs,
      maxReconnectAttempts: o.maxReconnectAttempts,
    }).filter(([, v]) => v !== undefined))
    return new WSClient({
      botId: o.botId,
      secret: o.secret,
      ...(o.wsUrl ? { wsUrl: o.wsUrl } : {}),
      logger: sdkLogger(this.log.child({ component: 'wecom-sdk' })),
      ...timings,
    })
  }

  /** Events of a subscribed client: messages, welcome, feedback; the connection keeper does the rest. */
  private watch (client: WSClient): void {
    this.connection = keepConnected(client, {
      log: this.log,
      clock: this.clock,
      retryEveryMs: this.options.reconnectEveryMs ?? 60_000,
      offlineWaitMs: this.options.offlineWaitMs ?? 60_000,
      onOnline: () => { if (this.state.active() === true && !this.isLoggedIn) this.login(this.options.botId) },
      onEnded: (reason) => this.logout(reason),
    })
    client.on('message', (frame: WsFrame<IncomingBody>) => this.guard('message', () => this.onIncoming(frame)))
    client.on('event.enter_chat', (frame: WsFrame<EventBody>) => this.guard('enter_chat', () => this.welcome(client, frame)))
    client.on('event.feedback_event', (frame: WsFrame<EventBody>) => this.guard('feedback_event', () => this.onFeedbackEvent(frame)))
  }

  override async onStop (): Promise<void> {
    const client = this.client
    this.client = undefined
    this.connection?.stop()
    client?.removeAllListeners()
    client?.disconnect() // also cancels a pending reconnect
  }

  /** Run an event handler body, logging instead of dropping its failure. */
  private guard (event: string, body: () => void | Promise<void>): void {
    Promise.resolve().then(body).catch((err: unknown) => this.log.error({ err, event }, 'wecom puppet handler failed'))
  }

  private onIncoming (frame: WsFrame<IncomingBody>): void {
    const body = frame.body
    if (!body?.msgid || !body.from?.userid) return
    // DOC: msgid is there "用于事件排重": WeCom may deliver a message again
    if (this.messages.has(body.msgid)) {
      this.log.debug({ messageId: body.msgid }, 'redelivered wecom message ignored')
      return
    }
    const conversationId = conversationIdOf(body)
    if (body.chattype === 'group' && body.chatid) {
      if (this.directory.noteSender(body.from.userid, body.chatid)) this.cache.room.delete(body.chatid)
    } else {
      this.directory.noteSender(body.from.userid)
    }
    this.windows.remember(conversationId, { reqId: frame.headers.req_id, messageId: body.msgid, userid: body.from.userid })
    const payload = messagePayloadOf(body, this.options.botId, this.options.botName)
    this.messages.set(body.msgid, { payload, body })
    if (this.messages.size > MAX_KEPT_MESSAGES) this.messages.delete(this.messages.keys().next().value!)
    this.emit('message', { messageId: body.msgid })
  }

  /** DOC: `enter_chat` may be answered with a welcome within 5 s; it skips the send queue for that. */
  private async welcome (client: WSClient, frame: WsFrame<EventBody>): Promise<void> {
    const text = this.options.welcome?.trim()
    if (!text) return
    await client.replyWelcome(frame, { msgtype: 'text', text: { content: text } }).catch((err: unknown) =>
      this.log.warn({ userid: frame.body?.from?.userid, code: errcodeOf(err) }, 'wecom welcome not sent'))
  }

  private async onFeedbackEvent (frame: WsFrame<EventBody>): Promise<void> {
    const body = frame.body
    const data = body ? feedbackOf(body) : undefined
    const userid = body?.from?.userid
    if (!data || !userid) return
    const kept = this.messages.get(data.id)
    const feedback: AnswerFeedback = {
      messageId: data.id,
      userid,
      conversationId: body.chatid ?? (kept ? conversationIdOf(kept.body) : userid),
      verdict: VERDICTS[data.type] ?? 'withdrawn',
      reasons: data.inaccurate_reason_list ?? [],
      comment: data.content ?? '',
      question: kept?.payload.text,
      answer: kept?.answer,
      roomId: body.chatid ?? kept?.body.chatid,
    }
    this.log.info({ messageId: data.id, userid, verdict: feedback.verdict }, 'wecom answer feedback')
    for (const handler of this.feedbackHandlers) await handler(feedback)
  }

  /** Be told when a member rates an answer (the bot maps "inaccurate" onto its "不对"). */
  onFeedback (handler: (f: AnswerFeedback) => void | Promise<void>): void {
    this.feedbackHandlers.add(handler)
  }

  private ready (): Promise<WSClient> {
    if (!this.connection) return Promise.reject(new Error('wecom puppet is not started'))
    return this.connection.ready()
  }

  private conversationOf (messageId: string): string | undefined {
    const body = this.messages.get(messageId)?.body
    return body ? conversationIdOf(body) : undefined
  }

  /* ---------------- answering one message ---------------- */

  /** The answer to this message is taking a while: show the thinking frame in its reply bubble. */
  async showThinking (messageId: string): Promise<void> {
    const conversationId = this.conversationOf(messageId)
    if (conversationId) await this.replies.thinking(conversationId, messageId)
  }

  /** The bot is done with this message: nothing further replies to it (an open stream is closed). */
  async doneWith (messageId: string): Promise<void> {
    const conversationId = this.conversationOf(messageId)
    if (conversationId) await this.replies.done(conversationId, messageId)
  }

  /* ---------------- sending ---------------- */

  override async messageSendText (conversationId: string, text: string, mentionIdList: string[] = []): Promise<void> {
    const content = renderMentions(text, mentionIdList.map((id) => this.directory.nameOf(id)))
    await this.replies.text(conversationId, content, mentionIdList)
  }

  override async messageSendFile (conversationId: string, file: FileBoxInterface): Promise<void> {
    await this.replies.file(conversationId, file)
  }

  override async messageSendContact (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async messageSendUrl (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async messageSendMiniProgram (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async messageSendLocation (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async messageForward (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async messageRecall (): Promise<boolean> { return false }

  /* ---------------- messages ---------------- */

  override async messageRawPayload (id: string): Promise<PUPPET.payloads.Message> {
    const kept = this.messages.get(id)
    if (!kept) throw new Error(`wecom message ${id} not found`)
    return kept.payload
  }

  override async messageRawPayloadParser (payload: PUPPET.payloads.Message) { return payload }

  /** Download and decrypt an incoming image or file (its URL works for 5 minutes). */
  override async messageFile (id: string): Promise<FileBoxInterface> {
    const body = this.messages.get(id)?.body
    const media = body?.file ?? body?.image ?? body?.video
    if (!media) throw new Error(`wecom message ${id} has no file`)
    const { buffer, filename } = await (await this.ready()).downloadFile(media.url, media.aeskey)
    return FileBox.fromBuffer(buffer, filename ?? `${id}.${body?.msgtype === 'image' ? 'jpg' : 'bin'}`)
  }

  override async messageImage (id: string): Promise<FileBoxInterface> { return this.messageFile(id) }
  override async messageContact (): Promise<string> { return PUPPET.throwUnsupportedError() }
  override async messageUrl (): Promise<PUPPET.payloads.UrlLink> { return PUPPET.throwUnsupportedError() }
  override async messageMiniProgram (): Promise<PUPPET.payloads.MiniProgram> { return PUPPET.throwUnsupportedError() }
  override async messageLocation (): Promise<PUPPET.payloads.Location> { return PUPPET.throwUnsupportedError() }

  /* ---------------- contacts ---------------- */

  override async contactRawPayload (id: string): Promise<PUPPET.payloads.Contact> {
    return contactPayloadOf(id, this.directory.nameOf(id))
  }

  override async contactRawPayloadParser (payload: PUPPET.payloads.Contact) { return payload }
  override async contactList (): Promise<string[]> { return this.directory.contactIds() }

  override contactAlias (contactId: string): Promise<string>
  override contactAlias (contactId: string, alias: string | null): Promise<void>
  override async contactAlias (_contactId: string, alias?: string | null): Promise<void | string> {
    if (alias === undefined) return ''
  }

  override async contactAvatar (contactId: string): Promise<FileBoxInterface>
  override async contactAvatar (contactId: string, file: FileBoxInterface): Promise<void>
  override async contactAvatar (): Promise<void | FileBoxInterface> { return PUPPET.throwUnsupportedError() }

  override async contactPhone (contactId: string): Promise<string[]>
  override async contactPhone (contactId: string, phoneList: string[]): Promise<void>
  override async contactPhone (_contactId: string, phoneList?: string[]): Promise<string[] | void> {
    if (phoneList === undefined) return []
  }

  override async contactCorporationRemark (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async contactDescription (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async contactSelfQRCode (): Promise<string> { return PUPPET.throwUnsupportedError() }
  override async contactSelfName (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async contactSelfSignature (): Promise<void> { return PUPPET.throwUnsupportedError() }

  /* ---------------- rooms ---------------- */

  /** Any chatid Wechaty asks for is a room (groups are configured by chatid before they speak). */
  override async roomRawPayload (id: string): Promise<PUPPET.payloads.Room> {
    this.directory.noteRoom(id)
    return roomPayloadOf(id, this.directory.roomMembers(id))
  }

  override async roomRawPayloadParser (payload: PUPPET.payloads.Room) { return payload }
  override async roomList (): Promise<string[]> { return this.directory.roomIds() }
  override async roomMemberList (roomId: string): Promise<string[]> { return this.directory.roomMembers(roomId) }

  override async roomMemberRawPayload (_roomId: string, contactId: string): Promise<PUPPET.payloads.RoomMember> {
    return { id: contactId, name: this.directory.nameOf(contactId), avatar: '' }
  }

  override async roomMemberRawPayloadParser (payload: PUPPET.payloads.RoomMember) { return payload }

  override async roomTopic (roomId: string): Promise<string>
  override async roomTopic (roomId: string, topic: string): Promise<void>
  override async roomTopic (roomId: string, topic?: string): Promise<void | string> {
    if (topic === undefined) return roomId
    return PUPPET.throwUnsupportedError()
  }

  override async roomAnnounce (roomId: string): Promise<string>
  override async roomAnnounce (roomId: string, text: string): Promise<void>
  override async roomAnnounce (_roomId: string, text?: string): Promise<void | string> {
    if (text === undefined) return ''
    return PUPPET.throwUnsupportedError()
  }

  override async roomAvatar (): Promise<FileBoxInterface> { return PUPPET.throwUnsupportedError() }
  override async roomAdd (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async roomDel (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async roomCreate (): Promise<string> { return PUPPET.throwUnsupportedError() }
  override async roomQuit (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async roomQRCode (): Promise<string> { return PUPPET.throwUnsupportedError() }
  override async roomInvitationAccept (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async roomInvitationRawPayload (): Promise<never> { return PUPPET.throwUnsupportedError() }
  override async roomInvitationRawPayloadParser (): Promise<PUPPET.payloads.RoomInvitation> { return PUPPET.throwUnsupportedError() }

  /* ---------------- not in WeCom's bot API ---------------- */

  override async friendshipRawPayload (): Promise<never> { return PUPPET.throwUnsupportedError() }
  override async friendshipRawPayloadParser (): Promise<PUPPET.payloads.Friendship> { return PUPPET.throwUnsupportedError() }
  override async friendshipSearchPhone (): Promise<null | string> { return null }
  override async friendshipSearchWeixin (): Promise<null | string> { return null }
  override async friendshipAdd (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async friendshipAccept (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async tagContactAdd (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async tagContactRemove (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async tagContactDelete (): Promise<void> { return PUPPET.throwUnsupportedError() }
  override async tagContactList (): Promise<string[]> { return [] }
  override async conversationReadMark (): Promise<void> {}
  override ding (data?: string): void { this.emit('dong', { data: data ?? '' }) }
}

/** Connect `client` and resolve once WeCom acknowledged the subscription; 853000 ends it at once. */
function subscribed (client: WSClient): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => { client.off('authenticated', onAuthenticated); client.off('error', onError) }
    const onAuthenticated = () => { done(); resolve() }
    const onError = (err: Error) => {
      if (errcodeOf(err) === AUTH_INVALID) {
        // Wrong credentials do not get better by retrying: stop the SDK's retry loop now.
        done()
        client.disconnect()
        reject(new WecomAuthError())
      } else if (err.name === 'WSAuthFailureError' || err.name === 'WSReconnectExhaustedError') {
        done()
        client.disconnect()
        reject(err)
      }
    }
    client.on('authenticated', onAuthenticated)
    client.on('error', onError)
    client.connect()
  })
}
