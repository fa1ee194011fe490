import type { Contact, Message, Wechaty } from 'wechaty'
import type { Deps } from '../deps.ts'
import type { Ctx } from './context.ts'
import type { Outbox } from './outbox.ts'
import { compose } from './compose.ts'
import type { AdmissionStep, Incoming } from './admission.ts'
import type { RoomMessenger } from './messenger.ts'
import { may } from './roles.ts'
import { createKeyedQueue } from '../util/keyed-queue.ts'
import { platformFailureOf } from '../send/send-error.ts'

const SORRY = '抱歉，处理这条消息时出了点问题，请稍后再试。'
const notActivatedSorry = (reason: string) =>
  `抱歉，消息没能发出：${reason}。如果是要私信给你，请先私聊我一次（发任意一句话）再试；如果是发到群里，请先在群里 @我 一次，或请管理员为该群配置群机器人。`

/**
 * How a platform shows that an answer is on its way (WeCom: a "正在查找…" frame in the reply
 * bubble, then the answer in the same stream).
 */
export interface ReplyProgress {
  /** Show it once a handler has not finished within this many milliseconds. */
  thinkingAfterMs: number
  /** The answer to this message is taking a while. */
  thinking(messageId: string): Promise<void>
  /** The bot is done with this message, whether it answered or not. */
  done(messageId: string): Promise<void>
}

/**
 * The bot's single message listener: runs the admission steps, builds the context, runs the
 * route chain, and is the one catch site for handler errors.
 */
export function createMessageListener(opts: {
  deps: Deps
  bot: Wechaty
  outbox: Outbox
  messenger: RoomMessenger
  admission: readonly AdmissionStep[]
  run: (ctx: Ctx) => Promise<void>
  progress?: ReplyProgress
}) {
  const { deps, bot, outbox, messenger, run } = opts
  const { log } = deps
  // one sender's messages run in order (#心得 then #撤回心得), different senders in parallel
  const bySender = createKeyedQueue()
  let accepting = true

  const contextOf = (m: Incoming): Ctx => {
    const { message, group, senderGroups } = m
    const talker = message.talker()
    const room = message.room()
    const sender = { id: talker.id, name: talker.name() }
    const defaultGroup = group ?? (senderGroups.length === 1 ? senderGroups[0] : undefined)
    return {
      deps,
      messenger,
      messageId: message.id,
      text: m.text,
      mentioned: m.mentioned,
      isPrivate: !room,
      room: group,
      senderGroups,
      sender,
      may: (action, g = defaultGroup) => (g ? [g] : senderGroups).some((x) => may(x, sender, action)),
      reply: async (reply, o = {}) => {
        if (room) {
          const mentions = await Promise.all((o.mentions ?? [sender.id]).map((id) => bot.Contact.find({ id })))
          await outbox.send(room, reply, mentions.filter((c): c is Contact => c !== undefined))
        } else {
          await outbox.send(talker, reply)
        }
      },
      replyPrivately: (reply) => outbox.send(talker, reply),
      sendFilePrivately: (file) => outbox.sendFile(talker, file),
    }
  }

  const { progress } = opts
  const thinking = (messageId: string) => setTimeout(() => {
    progress!.thinking(messageId).catch((err: unknown) => log.warn({ err, messageId }, 'thinking not shown'))
  }, progress!.thinkingAfterMs)

  // admission first; a message every step let through becomes a context for the routes
  const chain = compose<Incoming>([...opts.admission, async (m) => {
    m.ctx = contextOf(m)
    const timer = progress && thinking(m.message.id)
    try {
      await run(m.ctx)
    } finally {
      clearTimeout(timer)
    }
  }])

  const handle = async (message: Message) => {
    const incoming: Incoming = { message, deps, messenger, mentioned: true, text: message.text(), senderGroups: [] }
    const where = { messageId: message.id, roomId: message.room()?.id, talkerId: message.talker()?.id }
    try {
      await chain(incoming)
    } catch (err) {
      const failure = platformFailureOf(err)
      if (failure?.failure === 'unconfirmed') {
        // most likely delivered: an apology (or a second copy) would be the worse mistake
        log.warn({ err, ...where }, 'reply delivery unconfirmed; not resent')
      } else {
        log.error({ err, ...where }, 'message handler failed')
        const apology = failure?.failure === 'not-activated' ? notActivatedSorry(failure.message) : SORRY
        if (incoming.ctx) await incoming.ctx.reply(apology).catch((e) => log.error({ err: e, messageId: message.id }, 'apology not sent'))
      }
    } finally {
      await progress?.done(message.id).catch((err: unknown) => log.warn({ err, messageId: message.id }, 'reply not closed'))
    }
  }

  return {
    /** The Wechaty 'message' listener; never rejects. */
    onMessage(message: Message): void {
      if (!accepting) return
      void bySender.run(message.talker()?.id ?? '', () => handle(message))
    },
    /** Stop taking messages and wait for the ones in flight. */
    async drain(): Promise<void> {
      accepting = false
      await bySender.idle()
    },
    /** Wait until no message is being handled (the listener keeps accepting). */
    settled: (): Promise<void> => bySender.idle(),
  }
}
