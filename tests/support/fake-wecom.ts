/**
 * A fake WeCom server written from ../../../shared/wecom-protocol.md: the intelligent bot's long
 * connection (WebSocket) and the group robot's webhook (HTTP), both on loopback. It refuses what
 * the service refuses. Every rule lives in one place below and says where it comes from:
 *
 *   DOC     WeCom's long-connection doc 101463 (updated 2026-03-13)
 *   OFF     the other official pages in the notes (§1 group robot 91770, §2 intelligent bot)
 *   SDK     @wecom/aibot-node-sdk 1.0.7 source
 *   LIVE    captured from the real server by other projects
 *   ADAPTER other open-source adapters' code (the official plugin, AstrBot)
 *   REPORT  a user's issue report (repository#number)
 *   INF     our inference: nothing shows it, the fake needs an answer
 *
 * A rule marked INF is a guess; a test that depends on one depends on that guess.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { systemClock, type Clock } from '../../src/clock.ts'

/** A frame as the fake received it, with the connection it came on (1, 2, ... in order). */
export interface ReceivedFrame {
  connection: number
  cmd?: string
  headers?: { req_id?: string }
  body?: any
  /** What the fake answered (errcode 0 = accepted); set once decided, even if the ack is held back. */
  ack?: { errcode: number; errmsg: string }
}

/** A webhook POST as the fake received it, with the answer it gave. */
export interface WebhookCall {
  key: string
  body: any
  errcode: number
}

/** One reply bubble as members see it: the stream a req_id was answered with. */
export interface Bubble {
  reqId: string
  conversation: string
  streamId?: string
  /** The bubble's content: each accepted frame replaces it whole. */
  content: string
  /** Accepted frames, in order. */
  frames: Array<{ content: string; finish: boolean }>
  /** True once a non-blank finish frame was accepted; until then the bubble spins. */
  finished: boolean
  /** The markdown, template_card or media body, when the reply was not a stream. */
  body?: any
}

/** Something members see: a reply bubble, a proactive message, a welcome, or a group-robot message. */
export interface Delivery {
  via: 'reply' | 'proactive' | 'welcome' | 'webhook'
  conversation: string
  msgtype: string
  content: string
  /** Userids notified by this message (only the webhook's `mentioned_list` does that). */
  notified: string[]
}

/** Limits of the fake; defaults are the service's. */
export interface FakeWecomOptions {
  botId: string
  secret: string
  clock?: Clock
  /** Messages per conversation: 30 per minute and 1000 per hour (2+). */
  conversationLimits?: Array<{ count: number; windowMs: number }>
  /** Group-robot messages per robot: 20 per minute, failed ones counted (OFF §1). */
  webhookLimit?: { count: number; windowMs: number }
  /** Keys of robots that exist; any other key answers 93000 (OFF §1). */
  webhookKeys?: string[]
  /** The old connection is closed this long after its disconnected_event (LIVE: 2 s to 5 min). */
  kickCloseMs?: number
  /** How long after a user's last message the bot may still push to that conversation (INF: 24 h). */
  activationMs?: number
  /** How long after a callback its req_id can still be answered (DOC: 24 h). */
  replyWindowMs?: number
  /** A stream's lifetime from its first frame (DOC: 6 minutes). */
  streamLifetimeMs?: number
  /** Subscriptions allowed per window before frequency protection refuses them (DOC rule; INF numbers). */
  subscribeLimit?: { count: number; windowMs: number }
  /** Uploads per bot: 30 per minute and 1000 per hour (2+). */
  uploadLimits?: Array<{ count: number; windowMs: number }>
}

type Ack = { errcode: number; errmsg: string; body?: unknown }
const ok = (body?: unknown): Ack => (body === undefined ? { errcode: 0, errmsg: 'ok' } : { errcode: 0, errmsg: 'ok', body })
const fail = (errcode: number, errmsg: string): Ack => ({ errcode, errmsg })
const bytes = (s: unknown) => Buffer.byteLength(String(s ?? ''), 'utf8')

const MINUTE = 60_000
const HOUR = 3_600_000
/** OFF §2 / SDK StreamReplyBody: stream content ≤ 20480 bytes of UTF-8. */
const MAX_STREAM_BYTES = 20480
/** OFF §2 / SDK uploadMedia: ≤ 512 KB raw per chunk, ≤ 100 chunks. */
const MAX_CHUNK_BYTES = 512 * 1024
const MAX_CHUNKS = 100
/** DOC, SDK replyWelcome: the welcome must follow enter_chat within 5 s. */
const WELCOME_WINDOW_MS = 5_000
/** REPORT openclaw-china#223 quotes this refusal of a proactive send to a quiet group; its errcode is not known. */
export const NOT_ACTIVATED_ERRMSG = '需要主动向群组内bot发送消息以激活对话'
/** INF: our code for that refusal (the report gives only the message). */
export const NOT_ACTIVATED_CODE = 846609
/** REPORT WecomTeam/wecom-openclaw-plugin#121: 93006 "invalid chatid" for a proactive send; INF: a chatid the bot never heard from. */
export const INVALID_CHATID_CODE = 93006

/** Start the fake on random loopback ports. */
export async function startFakeWecom(opts: FakeWecomOptions) {
  const clock = opts.clock ?? systemClock
  const conversationLimits = opts.conversationLimits ?? [{ count: 30, windowMs: MINUTE }, { count: 1000, windowMs: HOUR }]
  const webhookLimit = opts.webhookLimit ?? { count: 20, windowMs: MINUTE }
  const uploadLimits = opts.uploadLimits ?? [{ count: 30, windowMs: MINUTE }, { count: 1000, windowMs: HOUR }]
  const subscribeLimit = opts.subscribeLimit ?? { count: 20, windowMs: MINUTE }
  const activationMs = opts.activationMs ?? 24 * HOUR
  const replyWindowMs = opts.replyWindowMs ?? 24 * HOUR
  const streamLifetimeMs = opts.streamLifetimeMs ?? 6 * MINUTE
  const webhookKeys = new Set(opts.webhookKeys ?? [])

  const received: ReceivedFrame[] = []
  const webhookCalls: WebhookCall[] = []
  let webhookHold: Promise<void> | undefined
  const deliveries: Delivery[] = []
  const bubbles = new Map<string, Bubble>()
  const sockets = new Map<number, WebSocket>()
  let subscribed: number | undefined
  let connections = 0
  let refusing = false
  let refused = 0
  let seq = 0
  /** req_ids WeCom pushed: what for, where, and when. */
  const callbacks = new Map<string, { kind: 'message' | 'enter_chat' | 'event'; conversation: string; at: number; welcomed?: boolean }>()
  /** Pushed message bodies by msgid, for redelivery. */
  const pushedBodies = new Map<string, { body: Record<string, unknown>; conversation: string }>()
  /** When each conversation last messaged the bot. */
  const lastUserMessage = new Map<string, number>()
  const uploads = new Map<string, { type: string; filename: string; totalChunks: number; md5: string; chunks: Buffer[] }>()
  const media = new Map<string, { filename: string; data: Buffer }>()
  /** Forced answers for the next frames of a cmd (or webhook calls), for failure tests. */
  const forced = new Map<string, Ack[]>()
  /** Acks held back per cmd (REPORT AstrBot#5938: acks sometimes take over 10 s). */
  const held = new Map<string, { until?: number; queue: Array<() => void> }>()
  const listeners = new Set<() => void>()
  const changed = () => { for (const l of listeners) l() }

  // A sliding window of times per key; every attempt counts, refused ones too.
  const windows = new Map<string, number[]>()
  const overLimit = (key: string, limits: Array<{ count: number; windowMs: number }>): boolean => {
    const now = clock.now()
    const longest = Math.max(...limits.map((l) => l.windowMs))
    const times = (windows.get(key) ?? []).filter((t) => t > now - longest)
    times.push(now)
    windows.set(key, times)
    return limits.some((l) => times.filter((t) => t > now - l.windowMs).length > l.count)
  }

  const takeForced = (key: string): Ack | undefined => forced.get(key)?.shift()

  /** DOC (activation); INF (window and codes): may the bot push to this conversation now? */
  const activationRefusal = (conversation: string): Ack | undefined => {
    const last = lastUserMessage.get(conversation)
    if (last === undefined) return fail(INVALID_CHATID_CODE, 'invalid chatid')
    if (clock.now() - last > activationMs) return fail(NOT_ACTIVATED_CODE, NOT_ACTIVATED_ERRMSG)
    return undefined
  }

  /** 2+: 30/min and 1000/h per conversation, replies and proactive sends together (INF: code 45009). */
  const conversationLimited = (conversation: string) => overLimit(`conversation:${conversation}`, conversationLimits)

  const deliver = (d: Omit<Delivery, 'notified'> & { notified?: string[] }) => { deliveries.push({ notified: [], ...d }) }

  /** Reply bodies other than a stream: DOC lists markdown, template_card and media; `text` is refused (LIVE). */
  const REPLY_BODIES = new Set(['markdown', 'template_card', 'file', 'image', 'voice', 'video'])

  /** One handler per command; each returns the acknowledgement for the frame's req_id. */
  const commands: Record<string, (conn: number, frame: ReceivedFrame) => Ack | undefined> = {
    aibot_subscribe(conn, { body }) {
      // DOC: "订阅成功后应避免反复请求" (frequency protection); INF: the numbers and the code.
      if (overLimit('subscribe', [subscribeLimit])) return fail(45009, 'subscribe freq out of limit')
      if (body?.bot_id !== opts.botId || body?.secret !== opts.secret) {
        return fail(853000, 'invalid bot_id or secret') // LIVE: the socket stays open
      }
      // LIVE: one connection per bot; the old one gets disconnected_event and is closed later.
      if (subscribed !== undefined && subscribed !== conn) kick(subscribed)
      subscribed = conn
      return ok()
    },
    ping: () => ok(), // OFF §2: heartbeat, errcode-0 ack
    aibot_respond_msg(_conn, { headers, body }) {
      const reqId = headers!.req_id!
      const callback = callbacks.get(reqId)
      // OFF §2: a req_id from enter_chat used here answers 846605; INF: an unknown one too.
      if (!callback || callback.kind !== 'message') return fail(846605, 'invalid req_id')
      if (body?.msgtype === 'text') return fail(40008, 'invalid message type') // LIVE, DOC
      const bubble = bubbles.get(reqId)
      if (!bubble && clock.now() - callback.at > replyWindowMs) return fail(846608, 'reply window expired') // DOC: 24 h; INF: code
      if (body?.msgtype !== 'stream') {
        if (!REPLY_BODIES.has(body?.msgtype)) return fail(40008, 'invalid message type')
        if (bubble) return fail(846608, 'message already replied') // SDK: "同一个消息只能回复一次"; INF for mixing
        if (conversationLimited(callback.conversation)) return fail(45009, 'api freq out of limit')
        const content = body.msgtype === 'markdown' ? String(body.markdown?.content ?? '') : ''
        bubbles.set(reqId, { reqId, conversation: callback.conversation, content, frames: [], finished: true, body })
        deliver({ via: 'reply', conversation: callback.conversation, msgtype: body.msgtype, content })
        return ok()
      }
      const stream = body.stream ?? {}
      if (!stream.id) return fail(40058, 'missing field stream.id')
      if (bytes(stream.content) > MAX_STREAM_BYTES) return fail(40058, `content exceed max length ${MAX_STREAM_BYTES}`) // OFF §2, SDK
      if (bubble) {
        if (bubble.streamId !== stream.id) return fail(846608, 'message already replied') // INF: one stream per req_id
        if (bubble.finished) return fail(846608, 'stream finished') // INF
        // DOC: the 6-minute limit runs from the stream's first frame; OFF §2: 846608 is that expiry.
        if (clock.now() - bubbleStartedAt.get(reqId)! > streamLifetimeMs) return fail(846608, 'stream expired')
      } else if (conversationLimited(callback.conversation)) {
        return fail(45009, 'api freq out of limit') // INF: a stream counts once, at its first frame
      }
      const b: Bubble = bubble ?? { reqId, conversation: callback.conversation, streamId: stream.id, content: '', frames: [], finished: false }
      if (!bubble) { bubbles.set(reqId, b); bubbleStartedAt.set(reqId, clock.now()) }
      const content = String(stream.content ?? '')
      b.frames.push({ content, finish: stream.finish === true })
      // ADAPTER: a finish frame whose content is only whitespace is ignored; the bubble keeps spinning.
      if (content.trim()) b.content = content
      if (stream.finish === true && content.trim()) {
        b.finished = true
        deliver({ via: 'reply', conversation: callback.conversation, msgtype: 'stream', content })
      }
      return ok()
    },
    aibot_respond_welcome_msg(_conn, { headers, body }) {
      const callback = callbacks.get(headers!.req_id!)
      if (!callback || callback.kind !== 'enter_chat') return fail(846605, 'invalid req_id') // DOC, SDK: enter_chat's req_id only
      if (clock.now() - callback.at > WELCOME_WINDOW_MS) return fail(846608, 'welcome window expired') // DOC: within 5 s; INF: code
      if (callback.welcomed) return fail(846608, 'already welcomed') // INF: one welcome per event
      if (body?.msgtype !== 'text' && body?.msgtype !== 'template_card') return fail(40008, 'invalid message type') // SDK WelcomeReplyBody
      if (body.msgtype === 'text' && !body.text?.content) return fail(44004, 'empty content') // INF
      callback.welcomed = true
      deliver({ via: 'welcome', conversation: callback.conversation, msgtype: body.msgtype, content: String(body.text?.content ?? '') })
      return ok()
    },
    aibot_send_msg(_conn, { body }) {
      if (body?.msgtype === 'text') return fail(40008, 'invalid message type') // LIVE
      if (!['markdown', 'template_card', 'file', 'image', 'voice', 'video'].includes(body?.msgtype)) return fail(40008, 'invalid message type') // OFF §2
      if (!body?.chatid) return fail(40058, 'missing field chatid') // OFF §2
      // SDK, ADAPTER: chat_type is optional (the SDK never sets it); OFF §2: when given, 1 or 2.
      if (body.chat_type !== undefined && ![1, 2].includes(body.chat_type)) return fail(40058, 'invalid chat_type')
      if (body.msgtype === 'markdown' && !body.markdown?.content) return fail(44004, 'empty content') // INF
      if (body.msgtype === 'markdown' && bytes(body.markdown.content) > MAX_STREAM_BYTES) return fail(40058, 'content exceed max length') // INF: as a stream
      const refused = activationRefusal(body.chatid)
      if (refused) return refused
      if (conversationLimited(body.chatid)) return fail(45009, 'api freq out of limit')
      // LIVE: sending twice delivers twice, there is no idempotency.
      const content = body.msgtype === 'markdown' ? String(body.markdown.content) : ''
      deliver({ via: 'proactive', conversation: body.chatid, msgtype: body.msgtype, content })
      return ok()
    },
    aibot_upload_media_init(_conn, { body }) {
      if (overLimit('uploads', uploadLimits)) return fail(45009, 'upload freq out of limit') // 2+: 30/min, 1000/h
      if (!(body?.total_chunks >= 1) || body.total_chunks > MAX_CHUNKS) return fail(40058, `total_chunks must be 1..${MAX_CHUNKS}`) // OFF §2, SDK
      const uploadId = `upload_${++seq}`
      uploads.set(uploadId, { type: body.type, filename: body.filename, totalChunks: body.total_chunks, md5: body.md5, chunks: [] })
      return ok({ upload_id: uploadId })
    },
    aibot_upload_media_chunk(_conn, { body }) {
      const upload = uploads.get(body?.upload_id)
      if (!upload) return fail(40058, 'invalid upload_id') // INF
      const data = Buffer.from(String(body.base64_data ?? ''), 'base64')
      if (data.length > MAX_CHUNK_BYTES) return fail(40058, 'chunk exceeds 512KB') // OFF §2, SDK
      if (!(body.chunk_index >= 0 && body.chunk_index < upload.totalChunks)) return fail(40058, 'invalid chunk_index') // OFF §2: 0-based
      upload.chunks[body.chunk_index] = data
      return ok()
    },
    aibot_upload_media_finish(_conn, { body }) {
      const upload = uploads.get(body?.upload_id)
      if (!upload) return fail(40058, 'invalid upload_id')
      const data = Buffer.concat(upload.chunks.filter(Boolean))
      if (upload.chunks.filter(Boolean).length !== upload.totalChunks) return fail(40058, 'missing chunks') // INF
      if (upload.md5 && createHash('md5').update(data).digest('hex') !== upload.md5) return fail(40058, 'md5 mismatch') // INF
      const mediaId = `media_${++seq}`
      media.set(mediaId, { filename: upload.filename, data })
      return ok({ type: upload.type, media_id: mediaId, created_at: String(Math.floor(clock.now() / 1000)) }) // OFF §2
    },
  }
  const bubbleStartedAt = new Map<string, number>()

  const kick = (conn: number) => {
    send(conn, {
      cmd: 'aibot_event_callback',
      headers: { req_id: randomId() },
      body: { msgid: randomId(), create_time: Math.floor(clock.now() / 1000), aibotid: opts.botId, msgtype: 'event', event: { eventtype: 'disconnected_event' } },
    })
    setTimeout(() => sockets.get(conn)?.close(), opts.kickCloseMs ?? 50).unref()
  }

  const send = (conn: number, frame: unknown) => {
    const socket = sockets.get(conn)
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
  }

  /** Send an ack now, or later while acks of this cmd are held back. */
  const sendAck = (conn: number, cmd: string, frame: unknown) => {
    const h = held.get(cmd)
    if (!h) return send(conn, frame)
    const go = () => send(conn, frame)
    if (h.until === undefined) h.queue.push(go)
    else setTimeout(go, Math.max(0, h.until - Date.now())).unref()
  }

  const http = createServer((req, res) => { void onWebhook(req, res) })
  const wss = new WebSocketServer({ noServer: true })
  http.on('upgrade', (req, socket: Socket, head) => {
    if (refusing) {
      refused++
      changed()
      // a network outage as the client sees it: the handshake fails
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })
  wss.on('connection', (socket: WebSocket) => {
    const conn = ++connections
    sockets.set(conn, socket)
    socket.on('close', () => { sockets.delete(conn); if (subscribed === conn) subscribed = undefined; changed() })
    socket.on('message', (data) => {
      let frame: ReceivedFrame
      try { frame = { connection: conn, ...JSON.parse(String(data)) } } catch { return }
      received.push(frame)
      changed()
      const reqId = frame.headers?.req_id
      // LIVE: a malformed request is answered without headers.
      if (!reqId || !frame.cmd) return send(conn, fail(40058, 'missing field headers.req_id or cmd'))
      const handler = commands[frame.cmd]
      const ack = takeForced(frame.cmd) ?? (handler ? handler(conn, frame) : fail(40058, `unknown cmd ${frame.cmd}`))
      frame.ack = ack
      changed()
      if (ack) sendAck(conn, frame.cmd, { headers: { req_id: reqId }, ...ack })
    })
  })

  /** OFF §1: the group robot webhook. */
  const onWebhook = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const answer = (errcode: number, errmsg: string) => {
      res.writeHead(200, { 'content-type': 'application/json' }) // 2+: errors also come with HTTP 200
      res.end(JSON.stringify({ errcode, errmsg }))
    }
    if (req.method !== 'POST' || url.pathname !== '/cgi-bin/webhook/send') return answer(404, 'not found')
    const key = url.searchParams.get('key') ?? ''
    let body: any
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')) } catch { body = undefined }
    const [errcode, errmsg] = webhookAnswer(key, body)
    webhookCalls.push({ key, body, errcode })
    changed()
    if (webhookHold) await webhookHold // a slow robot: the answer comes once the test releases it
    if (errcode === 0) {
      const content = String(body.text?.content ?? body.markdown?.content ?? '')
      // OFF §1: text's mentioned_list notifies those userids ("@all" everyone); markdown's <@userid> does too.
      const notified = body.msgtype === 'text'
        ? [...(body.text.mentioned_list ?? [])]
        : [...content.matchAll(/<@([^>]+)>/g)].map((m) => m[1])
      deliver({ via: 'webhook', conversation: `webhook:${key}`, msgtype: body.msgtype, content, notified })
    }
    changed()
    answer(errcode, errmsg)
  }

  const webhookAnswer = (key: string, body: any): [number, string] => {
    if (!webhookKeys.has(key)) return [93000, 'invalid webhook url'] // OFF §1, 2+: wrong key or robot removed
    const limited = overLimit(`webhook:${key}`, [webhookLimit]) // OFF §1: failed sends count
    const f = takeForced(`webhook:${key}`)
    if (f) return [f.errcode, f.errmsg]
    if (limited) return [45009, 'api freq out of limit'] // OFF §1
    if (body?.msgtype === 'text') {
      if (!body.text?.content) return [44004, 'empty content'] // OFF §1
      if (bytes(body.text.content) > 2048) return [40058, 'content exceed max length 2048'] // OFF §1
      if (body.text.mentioned_list !== undefined && !Array.isArray(body.text.mentioned_list)) return [40058, 'invalid mentioned_list'] // INF
      return [0, 'ok']
    }
    if (body?.msgtype === 'markdown') {
      if (!body.markdown?.content) return [44004, 'empty content'] // OFF §1
      if (bytes(body.markdown.content) > 4096) return [40058, 'content exceed max length 4096'] // OFF §1
      return [0, 'ok']
    }
    return [40008, 'invalid message type'] // OFF §1
  }

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const port = (http.address() as AddressInfo).port

  const pushFrame = (cmd: string, body: Record<string, unknown>, kind: 'message' | 'enter_chat' | 'event', conversation: string) => {
    if (subscribed === undefined) throw new Error('fake wecom: no subscribed connection to push to')
    const reqId = randomId()
    callbacks.set(reqId, { kind, conversation, at: clock.now() })
    send(subscribed, { cmd, headers: { req_id: reqId }, body })
    return reqId
  }

  /** A member's message: activates the conversation (DOC) and can be answered with its req_id. */
  const push = (body: Record<string, unknown>, conversation: string) => {
    const msgid = `msg_${++seq}_${randomBytes(4).toString('hex')}`
    const full = { msgid, aibotid: opts.botId, create_time: Math.floor(clock.now() / 1000), response_url: `http://127.0.0.1:${port}/response`, ...body }
    pushedBodies.set(msgid, { body: full, conversation })
    lastUserMessage.set(conversation, clock.now())
    return { reqId: pushFrame('aibot_msg_callback', full, 'message', conversation), msgid }
  }

  const event = (o: { userid: string; chatid?: string; event: Record<string, unknown> }) => ({
    msgid: `evt_${++seq}_${randomBytes(4).toString('hex')}`,
    create_time: Math.floor(clock.now() / 1000),
    aibotid: opts.botId,
    ...(o.chatid ? { chatid: o.chatid, chattype: 'group' } : { chattype: 'single' }),
    from: { userid: o.userid },
    msgtype: 'event',
    event: o.event,
  })

  /**
   * Resolves once `pick` finds something: checked on every change the fake sees, and every 20 ms
   * for things it does not see (log lines, handler calls).
   */
  const waitFor = <T>(pick: () => T | undefined, what = 'a frame', timeoutMs = 60_000): Promise<T> => new Promise((resolve, reject) => {
    const done = () => { listeners.delete(check); clearTimeout(timer); clearInterval(poll) }
    const check = () => {
      const found = pick()
      if (found !== undefined) { done(); resolve(found) }
    }
    const timer = setTimeout(() => { done(); reject(new Error(`fake wecom: timed out waiting for ${what}`)) }, timeoutMs)
    const poll = setInterval(check, 20)
    listeners.add(check)
    check()
  })

  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    /** Webhook URL of a robot key on this fake. */
    webhookUrl: (key: string) => `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=${key}`,
    /** Every frame received on the long connection, in order. */
    received,
    /** Every webhook POST, in order. */
    webhookCalls,
    /** Everything members were shown, in order. */
    deliveries,
    /** The reply bubble of a req_id, if the bot answered it. */
    bubble: (reqId: string) => bubbles.get(reqId),
    /** Every reply bubble. */
    bubbles: () => [...bubbles.values()],
    /** Uploaded files by media_id. */
    media,
    /** Frames received with this cmd. */
    framesOf: (cmd: string) => received.filter((f) => f.cmd === cmd),
    /** Number of open WebSocket connections. */
    openConnections: () => sockets.size,
    /** Cut every connection, as a network failure would (clients are expected to reconnect). */
    dropConnections() {
      for (const socket of sockets.values()) socket.terminate()
    },
    /** While true, every new connection fails its handshake (an outage longer than a blip). */
    refuseConnections(on: boolean) { refusing = on },
    /** How many connection attempts failed their handshake so far. */
    refusedConnections: () => refused,
    /** Answer the next `times` frames with `cmd` (or webhook calls with `webhook:KEY`) with this errcode. */
    failNext(cmd: string, errcode: number, times = 1) {
      forced.set(cmd, [...(forced.get(cmd) ?? []), ...Array.from({ length: times }, () => fail(errcode, `forced ${errcode}`))])
    },
    /**
     * Hold back the acks of `cmd` (REPORT AstrBot#5938): for `ms`, or until release() when no `ms`
     * is given. The frame is still processed (and delivered) at once; only the ack is late.
     */
    holdAcks(cmd: string, ms?: number) {
      const h = { until: ms === undefined ? undefined : Date.now() + ms, queue: [] as Array<() => void> }
      held.set(cmd, h)
      return {
        release() {
          if (held.get(cmd) === h) held.delete(cmd)
          for (const go of h.queue.splice(0)) go()
        },
      }
    },
    /** Hold back every webhook answer until release() (each call is recorded on arrival). */
    holdWebhooks() {
      let release!: () => void
      const hold = new Promise<void>((resolve) => { release = resolve })
      webhookHold = hold
      return {
        release() {
          if (webhookHold === hold) webhookHold = undefined
          release()
        },
      }
    },
    /** A member @-mentions the bot in a group; OFF §2: the text keeps the `@BotName ` prefix. */
    pushGroupText(o: { chatid: string; userid: string; text: string; botName: string }) {
      return push({ chatid: o.chatid, chattype: 'group', from: { userid: o.userid }, msgtype: 'text', text: { content: `@${o.botName} ${o.text}` } }, o.chatid)
    },
    /** A private message; OFF §2: `voice` arrives already transcribed. */
    pushPrivate(o: { userid: string; text: string; msgtype?: 'text' | 'voice' }) {
      const msgtype = o.msgtype ?? 'text'
      return push({ chattype: 'single', from: { userid: o.userid }, msgtype, [msgtype]: { content: o.text } }, o.userid)
    },
    /** DOC "msgid 用于事件排重": the same message again; INF: with a new req_id. */
    redeliver(msgid: string) {
      const pushed = pushedBodies.get(msgid)
      if (!pushed) throw new Error(`fake wecom: no message ${msgid} to redeliver`)
      return { reqId: pushFrame('aibot_msg_callback', pushed.body, 'message', pushed.conversation), msgid }
    },
    /** DOC: a member opens the private chat with the bot (first time today). Does not activate it (INF). */
    pushEnterChat(o: { userid: string }) {
      return { reqId: pushFrame('aibot_event_callback', event({ userid: o.userid, event: { eventtype: 'enter_chat' } }), 'enter_chat', o.userid) }
    },
    /**
     * DOC: a member rates an answer; `id` is the feedback id the bot put on its stream, type 1
     * accurate, 2 inaccurate, 3 withdrawn. INF: nested as event.feedback_event, like other events' data.
     */
    pushFeedback(o: { userid: string; chatid?: string; id: string; type: 1 | 2 | 3; content?: string; reasons?: number[] }) {
      const data = { id: o.id, type: o.type, content: o.content ?? '', inaccurate_reason_list: o.reasons ?? [] }
      const body = event({ userid: o.userid, chatid: o.chatid, event: { eventtype: 'feedback_event', feedback_event: data } })
      return { reqId: pushFrame('aibot_event_callback', body, 'event', o.chatid ?? o.userid) }
    },
    waitFor,
    /** Wait until a frame with `cmd` matching `where` was received; returns it. */
    waitForFrame: (cmd: string, where: (f: ReceivedFrame) => boolean = () => true) =>
      waitFor(() => received.find((f) => f.cmd === cmd && where(f)), cmd),
    /** Wait until the reply to `reqId` is finished (a non-blank finish frame, or a non-stream reply). */
    waitForReply: (reqId: string) => waitFor(() => {
      const b = bubbles.get(reqId)
      return b?.finished ? b : undefined
    }, `the reply to ${reqId}`),
    async close() {
      for (const h of held.values()) h.queue.splice(0)
      for (const socket of sockets.values()) socket.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}

/** The fake's handle. */
export type FakeWecom = Awaited<ReturnType<typeof startFakeWecom>>

function randomId(): string {
  return randomBytes(12).toString('hex') // 24 characters, like WeCom's req_id (OFF §2)
}
