/**
 * A fake WeCom server written from ../../../shared/wecom-protocol.md: the intelligent bot's
 * long connection (WebSocket) and the group robot's webhook (HTTP), both on loopback.
 * Each documented behaviour lives in one place below, marked with its section of the notes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { systemClock, type Clock } from '../../src/clock.ts'

/** A frame as the fake received it, with the connection it came on (1, 2, ... in order). */
export interface ReceivedFrame {
  connection: number
  cmd?: string
  headers?: { req_id?: string }
  body?: any
  /** What the fake answered (errcode 0 = accepted). */
  ack?: { errcode: number; errmsg: string }
}

/** A webhook POST as the fake received it, with the answer it gave. */
export interface WebhookCall {
  key: string
  body: any
  errcode: number
}

/** Options of the fake. */
export interface FakeWecomOptions {
  botId: string
  secret: string
  clock?: Clock
  /** §2 limits: messages per conversation per window (30 per minute). */
  conversationLimit?: { count: number; windowMs: number }
  /** §1 limits: webhook messages per robot per window (20 per minute, failed ones counted). */
  webhookLimit?: { count: number; windowMs: number }
  /** §1: keys of robots that exist; any other key answers 93000. */
  webhookKeys?: string[]
  /** §2: the old connection is closed this long after its disconnected_event (real: 2 s to 5 min). */
  kickCloseMs?: number
}

type Ack = { errcode: number; errmsg: string; body?: unknown }
const ok = (body?: unknown): Ack => (body === undefined ? { errcode: 0, errmsg: 'ok' } : { errcode: 0, errmsg: 'ok', body })
const fail = (errcode: number, errmsg: string): Ack => ({ errcode, errmsg })

/** Start the fake on random loopback ports. */
export async function startFakeWecom(opts: FakeWecomOptions) {
  const clock = opts.clock ?? systemClock
  const conversationLimit = opts.conversationLimit ?? { count: 30, windowMs: 60_000 }
  const webhookLimit = opts.webhookLimit ?? { count: 20, windowMs: 60_000 }
  const webhookKeys = new Set(opts.webhookKeys ?? [])

  const received: ReceivedFrame[] = []
  const webhookCalls: WebhookCall[] = []
  const sockets = new Map<number, WebSocket>()
  let subscribed: number | undefined
  let connections = 0
  let seq = 0
  /** req_ids of pushed messages: conversation and whether a finished reply was already given. */
  const callbacks = new Map<string, { conversation: string; finished: boolean }>()
  const uploads = new Map<string, { type: string; filename: string; totalChunks: number; md5: string; chunks: Buffer[] }>()
  /** Forced answers for the next frames of a cmd (or webhook calls), for failure tests. */
  const forced = new Map<string, Ack[]>()
  const listeners = new Set<() => void>()
  const changed = () => { for (const l of listeners) l() }

  // §2 and §1 limits: a sliding window of send times per key.
  const windows = new Map<string, number[]>()
  const overLimit = (key: string, limit: { count: number; windowMs: number }): boolean => {
    const now = clock.now()
    const times = (windows.get(key) ?? []).filter((t) => t > now - limit.windowMs)
    times.push(now) // failed sends count too
    windows.set(key, times)
    return times.length > limit.count
  }

  const takeForced = (key: string): Ack | undefined => forced.get(key)?.shift()

  /** §2: one handler per command; each returns the acknowledgement for the frame's req_id. */
  const commands: Record<string, (conn: number, frame: ReceivedFrame) => Ack | undefined> = {
    aibot_subscribe(conn, { body }) {
      if (body?.bot_id !== opts.botId || body?.secret !== opts.secret) {
        return fail(853000, 'invalid bot_id or secret') // the socket stays open (LIVE)
      }
      // One connection per bot: the old one gets disconnected_event and is closed later.
      if (subscribed !== undefined && subscribed !== conn) kick(subscribed)
      subscribed = conn
      return ok()
    },
    ping: () => ok(),
    aibot_respond_msg(_conn, { headers, body }) {
      const callback = callbacks.get(headers!.req_id!)
      if (!callback) return fail(846605, 'invalid req_id')
      if (body?.msgtype !== 'stream') return fail(40008, 'invalid message type') // `text` is refused (LIVE)
      if (callback.finished) return fail(846608, 'stream expired')
      if (overLimit(`conversation:${callback.conversation}`, conversationLimit)) return fail(45009, 'api freq out of limit')
      if (body.stream?.finish) callback.finished = true
      return ok()
    },
    aibot_send_msg(_conn, { body }) {
      if (body?.msgtype === 'text') return fail(40008, 'invalid message type')
      if (!body?.chatid || ![1, 2].includes(body.chat_type)) return fail(40058, 'missing field chatid or chat_type')
      if (overLimit(`conversation:${body.chatid}`, conversationLimit)) return fail(45009, 'api freq out of limit')
      return ok()
    },
    aibot_upload_media_init(_conn, { body }) {
      const uploadId = `upload_${++seq}`
      uploads.set(uploadId, { type: body.type, filename: body.filename, totalChunks: body.total_chunks, md5: body.md5, chunks: [] })
      return ok({ upload_id: uploadId })
    },
    aibot_upload_media_chunk(_conn, { body }) {
      const upload = uploads.get(body?.upload_id)
      if (!upload) return fail(40058, 'invalid upload_id')
      upload.chunks[body.chunk_index] = Buffer.from(body.base64_data, 'base64') // chunk_index is 0-based
      return ok()
    },
    aibot_upload_media_finish(_conn, { body }) {
      const upload = uploads.get(body?.upload_id)
      if (!upload) return fail(40058, 'invalid upload_id')
      const data = Buffer.concat(upload.chunks.filter(Boolean))
      if (upload.chunks.filter(Boolean).length !== upload.totalChunks) return fail(40058, 'missing chunks')
      if (upload.md5 && createHash('md5').update(data).digest('hex') !== upload.md5) return fail(40058, 'md5 mismatch')
      const mediaId = `media_${++seq}`
      media.set(mediaId, { filename: upload.filename, data })
      return ok({ type: upload.type, media_id: mediaId, created_at: String(Math.floor(clock.now() / 1000)) })
    },
  }
  const media = new Map<string, { filename: string; data: Buffer }>()

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

  const http = createServer((req, res) => { void onWebhook(req, res) })
  const wss = new WebSocketServer({ server: http })
  wss.on('connection', (socket) => {
    const conn = ++connections
    sockets.set(conn, socket)
    socket.on('close', () => { sockets.delete(conn); if (subscribed === conn) subscribed = undefined; changed() })
    socket.on('message', (data) => {
      let frame: ReceivedFrame
      try { frame = { connection: conn, ...JSON.parse(String(data)) } } catch { return }
      received.push(frame)
      changed()
      const reqId = frame.headers?.req_id
      // A malformed request is answered without headers (LIVE).
      if (!reqId || !frame.cmd) return send(conn, fail(40058, 'missing field headers.req_id or cmd'))
      const handler = commands[frame.cmd]
      const ack = takeForced(frame.cmd) ?? (handler ? handler(conn, frame) : fail(40058, `unknown cmd ${frame.cmd}`))
      frame.ack = ack
      changed()
      if (ack) send(conn, { headers: { req_id: reqId }, ...ack })
    })
  })

  /** §1: the group robot webhook. */
  const onWebhook = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const answer = (errcode: number, errmsg: string) => {
      res.writeHead(200, { 'content-type': 'application/json' }) // errors also come with HTTP 200
      res.end(JSON.stringify({ errcode, errmsg }))
    }
    if (req.method !== 'POST' || url.pathname !== '/cgi-bin/webhook/send') return answer(404, 'not found')
    const key = url.searchParams.get('key') ?? ''
    let body: any
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')) } catch { body = undefined }
    const [errcode, errmsg] = webhookAnswer(key, body)
    webhookCalls.push({ key, body, errcode })
    changed()
    answer(errcode, errmsg)
  }

  const webhookAnswer = (key: string, body: any): [number, string] => {
    if (!webhookKeys.has(key)) return [93000, 'invalid webhook url'] // wrong key or robot removed
    const limited = overLimit(`webhook:${key}`, webhookLimit)
    const f = takeForced(`webhook:${key}`)
    if (f) return [f.errcode, f.errmsg]
    if (limited) return [45009, 'api freq out of limit']
    const bytes = (s: unknown) => Buffer.byteLength(String(s ?? ''), 'utf8')
    if (body?.msgtype === 'text') {
      if (!body.text?.content) return [44004, 'empty content']
      if (bytes(body.text.content) > 2048) return [40058, 'content exceed max length 2048']
      return [0, 'ok']
    }
    if (body?.msgtype === 'markdown') {
      if (!body.markdown?.content) return [44004, 'empty content']
      if (bytes(body.markdown.content) > 4096) return [40058, 'content exceed max length 4096']
      return [0, 'ok']
    }
    return [40008, 'invalid message type']
  }

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const port = (http.address() as AddressInfo).port

  const push = (body: Record<string, unknown>, conversation: string) => {
    if (subscribed === undefined) throw new Error('fake wecom: no subscribed connection to push to')
    const reqId = randomId()
    const msgid = `msg_${++seq}_${randomBytes(4).toString('hex')}`
    callbacks.set(reqId, { conversation, finished: false })
    send(subscribed, {
      cmd: 'aibot_msg_callback',
      headers: { req_id: reqId },
      body: { msgid, aibotid: opts.botId, create_time: Math.floor(clock.now() / 1000), response_url: `http://127.0.0.1:${port}/response`, ...body },
    })
    return { reqId, msgid }
  }

  /** Resolves once `pick` finds something in what was received so far. */
  const waitFor = <T>(pick: () => T | undefined, what = 'a frame'): Promise<T> => new Promise((resolve, reject) => {
    const check = () => {
      const found = pick()
      if (found !== undefined) { listeners.delete(check); clearTimeout(timer); resolve(found) }
    }
    const timer = setTimeout(() => { listeners.delete(check); reject(new Error(`fake wecom: timed out waiting for ${what}`)) }, 10_000)
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
    /** Answer the next `times` frames with `cmd` (or webhook calls with `webhook:KEY`) with this errcode. */
    failNext(cmd: string, errcode: number, times = 1) {
      forced.set(cmd, [...(forced.get(cmd) ?? []), ...Array.from({ length: times }, () => fail(errcode, `forced ${errcode}`))])
    },
    /** §2: a member @-mentions the bot in a group; the text keeps the `@BotName ` prefix. */
    pushGroupText(o: { chatid: string; userid: string; text: string; botName: string }) {
      return push({ chatid: o.chatid, chattype: 'group', from: { userid: o.userid }, msgtype: 'text', text: { content: `@${o.botName} ${o.text}` } }, o.chatid)
    },
    /** §2: a private message; `voice` arrives already transcribed. */
    pushPrivate(o: { userid: string; text: string; msgtype?: 'text' | 'voice' }) {
      const msgtype = o.msgtype ?? 'text'
      return push({ chattype: 'single', from: { userid: o.userid }, msgtype, [msgtype]: { content: o.text } }, o.userid)
    },
    waitFor,
    /** Wait until a frame with `cmd` matching `where` was received; returns it. */
    waitForFrame: (cmd: string, where: (f: ReceivedFrame) => boolean = () => true) =>
      waitFor(() => received.find((f) => f.cmd === cmd && where(f)), cmd),
    async close() {
      for (const socket of sockets.values()) socket.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}

/** The fake's handle. */
export type FakeWecom = Awaited<ReturnType<typeof startFakeWecom>>

function randomId(): string {
  return randomBytes(12).toString('hex') // 24 characters, like WeCom's req_id
}
