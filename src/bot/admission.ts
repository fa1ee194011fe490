import type { Message } from 'wechaty'
import { types } from 'wechaty-puppet'
import type { Deps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import type { Ctx } from './context.ts'
import type { RoomMessenger } from './messenger.ts'
import type { Middleware } from './compose.ts'
import { rolesIn } from './roles.ts'

/** A message on its way in: what the admission steps found out so far. */
export interface Incoming {
  message: Message
  deps: Deps
  messenger: RoomMessenger
  /** The configured group of the room it was said in; undefined in a private chat. */
  group?: GroupConfig
  /** True when the bot was @-mentioned (always true in a private chat). */
  mentioned: boolean
  /** The text without the @bot mention, trimmed. */
  text: string
  /** Configured groups the sender belongs to. */
  senderGroups: GroupConfig[]
  /** Set once every step let the message through. */
  ctx?: Ctx
}

/** One admission step: drop the message (return) or let it through (next()). */
export type AdmissionStep = Middleware<Incoming>

/** The bot's own messages (a puppet reports what the bot sent). */
export const skipOwnMessages: AdmissionStep = async (m, next) => {
  if (!m.message.self()) await next()
}

/** Anything but text: images, files, system notices. */
export const skipNonText: AdmissionStep = async (m, next) => {
  if (m.message.type() === types.Message.Text) await next()
}

/** Replays older than bot.maxMessageAgeSeconds (a login delivers recent history again). */
export const skipOldReplays: AdmissionStep = async (m, next) => {
  const age = m.deps.clock.now() - m.message.date().getTime()
  if (age <= m.deps.config.bot.maxMessageAgeSeconds * 1000) return next()
  m.deps.log.debug({ messageId: m.message.id, age }, 'old message ignored')
}

/** Rooms that are not configured groups (logged when someone @-mentions the bot there). */
export const skipUnconfiguredRooms: AdmissionStep = async (m, next) => {
  const room = m.message.room()
  if (!room) return next()
  m.group = await m.messenger.groupOf(room)
  if (m.group) return next()
  if (await m.message.mentionSelf()) m.deps.log.info({ roomId: room.id, topic: await room.topic() }, 'mentioned in a room that is not configured')
}

/** In a group, messages that neither @-mention the bot nor start with #. Sets `mentioned` and `text`. */
export const skipNotAddressed: AdmissionStep = async (m, next) => {
  const { message } = m
  let text = message.text()
  if (message.room()) {
    m.mentioned = await message.mentionSelf()
    if (m.mentioned) text = await message.mentionText()
    else if (!/^\s*[#＃]/.test(text)) return
  }
  m.text = text.replace(new RegExp(`^@${escape(m.deps.config.bot.name)}[\\s\\u2005]*`), '').trim()
  await next()
}

/** Private messages from someone in none of the configured groups. Sets `senderGroups`. */
export const skipOutsiders: AdmissionStep = async (m, next) => {
  const talker = m.message.talker()
  m.senderGroups = m.group ? [m.group] : await groupsOfContact(m.deps, m.messenger, talker.id)
  if (m.senderGroups.length) return next()
  m.deps.log.debug({ contactId: talker.id }, 'private message from someone outside the configured groups')
}

/** A message id already handled: a redelivery, or a message another instance took. */
export const skipDuplicates: AdmissionStep = async (m, next) => {
  if (await m.deps.stores.handled.claim(m.message.id)) return next()
  m.deps.log.debug({ messageId: m.message.id }, 'duplicate delivery ignored')
}

/** Remember who spoke in each group (WeCom cannot list a room's members), then pass it on. */
export const rememberSpeaker: AdmissionStep = async (m, next) => {
  if (m.group) await m.deps.stores.seen.remember(m.group.key, m.message.talker().id, m.message.talker().name())
  await next()
}

/** The configured groups a contact belongs to, for a private message (or a rating of a private answer). */
export async function groupsOfContact(deps: Pick<Deps, 'config' | 'log' | 'stores'>, messenger: RoomMessenger, contactId: string): Promise<GroupConfig[]> {
  const { config, log, stores } = deps
  const found: GroupConfig[] = []
  for (const g of config.groups) {
    // A secretary or organizer belongs to the group even when the puppet cannot list its
    // members (WeCom only knows those who @-mentioned the bot there since the start) — but
    // only by id (roles are granted by id alone).
    if (rolesIn(g, { id: contactId }).length > 1) {
      found.push(g)
      continue
    }
    try {
      const room = await messenger.roomOf(g.key)
      if ((await room.memberAll()).some((c) => c.id === contactId)) {
        found.push(g)
        continue
      }
    } catch (err) {
      log.debug({ err, group: g.key }, 'room not visible to this account; checking who spoke there')
    }
    if (await stores.seen.has(g.key, contactId)) found.push(g)
  }
  return found
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
