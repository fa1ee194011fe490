import type { Contact, Message, Wechaty } from 'wechaty'
import type { Deps } from '../deps.ts'
import type { Ctx } from './context.ts'
import type { Outbox } from './outbox.ts'
import { compose } from './compose.ts'
import type { AdmissionStep, Incoming } from './admission.ts'
import type { RoomMessenger } from './messenger.ts'
import { may } from './roles.ts'
import { createKeyedQueue } from '../util/keyed-queue.ts'

const SORRY = '抱歉，处理这条消息时出了点问题，请稍后再试。'

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

  // admission first; a message every step let through becomes a context for the routes
  const chain = compose<Incoming>([...opts.admission, async (m) => run(m.ctx = contextOf(m))])

  const handle = async (message: Message) => {
    const incoming: Incoming = { message, deps, messenger, mentioned: true, text: message.text(), senderGroups: [] }
    try {
      await chain(incoming)
    } catch (err) {
      log.error({ err, messageId: message.id, roomId: message.room()?.id, talkerId: message.talker()?.id }, 'message handler failed')
      if (incoming.ctx) await incoming.ctx.reply(SORRY).catch((e) => log.error({ err: e, messageId: message.id }, 'apology not sent'))
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
