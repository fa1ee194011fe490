import type { Contact, Message, Room, Wechaty } from 'wechaty'
import { types } from 'wechaty-puppet'
import type { Deps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import type { Ctx } from './context.ts'
import type { Outbox } from './outbox.ts'
import type { Messenger } from './messenger.ts'
import { may, rolesIn } from './roles.ts'
import { createKeyedQueue } from '../util/keyed-queue.ts'

const SORRY = '抱歉，处理这条消息时出了点问题，请稍后再试。'

/**
 * The bot's single message listener: filters what the bot must not react to, builds the
 * context, runs the route chain, and is the one catch site for handler errors.
 */
export function createMessageListener(opts: {
  deps: Deps
  bot: Wechaty
  outbox: Outbox
  messenger: Messenger & { roomOf(groupKey: string): Promise<Room>; groupOf(room: Room): Promise<GroupConfig | undefined> }
  run: (ctx: Ctx) => Promise<void>
}) {
  const { deps, bot, outbox, messenger, run } = opts
  const { config, log, clock } = deps
  const { handled, seen } = deps.stores
  // one sender's messages run in order (#心得 then #撤回心得), different senders in parallel
  const bySender = createKeyedQueue()
  let accepting = true

  const groupsOf = async (contact: { id: string; name: string }): Promise<GroupConfig[]> => {
    const found: GroupConfig[] = []
    for (const g of config.groups) {
      // A secretary or organizer belongs to the group even when the puppet cannot list its
      // members (WeCom only knows those who @-mentioned the bot there since the start) — but
      // only by id or by the name the config itself gives that id, never by a chosen nickname.
      const trusted = { id: contact.id, name: config.members[contact.id] ?? contact.id }
      if (rolesIn(g, trusted).length > 1) {
        found.push(g)
        continue
      }
      try {
        const room = await messenger.roomOf(g.key)
        if ((await room.memberAll()).some((m) => m.id === contact.id)) {
          found.push(g)
          continue
        }
      } catch { /* room not visible to this account */ }
      if (await seen.has(g.key, contact.id)) found.push(g)
    }
    return found
  }

  const contextFor = async (message: Message): Promise<Ctx | undefined> => {
    if (message.self()) return undefined
    if (message.type() !== types.Message.Text) return undefined
    const age = clock.now() - message.date().getTime()
    if (age > config.bot.maxMessageAgeSeconds * 1000) {
      log.debug({ messageId: message.id, age }, 'old message ignored')
      return undefined
    }
    const talker = message.talker()
    const room = message.room()
    const raw = message.text()
    let group: GroupConfig | undefined
    let mentioned = true
    let text = raw
    if (room) {
      group = await messenger.groupOf(room)
      mentioned = await message.mentionSelf()
      if (!group) {
        if (mentioned) log.info({ roomId: room.id, topic: await room.topic() }, 'mentioned in a room that is not configured')
        return undefined
      }
      if (mentioned) text = await message.mentionText()
      if (!mentioned && !/^\s*[#＃]/.test(raw)) return undefined
    }
    text = text.replace(new RegExp(`^@${escape(config.bot.name)}[\\s\\u2005]*`), '').trim()
    const senderGroups = group ? [group] : await groupsOf({ id: talker.id, name: talker.name() })
    if (!senderGroups.length) {
      log.debug({ contactId: talker.id }, 'private message from someone outside the configured groups')
      return undefined
    }
    if (!(await handled.claim(message.id))) {
      log.debug({ messageId: message.id }, 'duplicate delivery ignored')
      return undefined
    }
    if (group) await seen.remember(group.key, talker.id)
    const sender = { id: talker.id, name: talker.name() }
    const defaultGroup = group ?? (senderGroups.length === 1 ? senderGroups[0] : undefined)
    return {
      deps,
      messenger,
      messageId: message.id,
      text,
      mentioned,
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

  const handle = async (message: Message) => {
    let ctx: Ctx | undefined
    try {
      ctx = await contextFor(message)
      if (ctx) await run(ctx)
    } catch (err) {
      log.error({ err, messageId: message.id, roomId: message.room()?.id, talkerId: message.talker()?.id }, 'message handler failed')
      if (ctx) await ctx.reply(SORRY).catch((e) => log.error({ err: e, messageId: message.id }, 'apology not sent'))
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

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
