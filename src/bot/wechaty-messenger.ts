import type { Contact, Room, Wechaty } from 'wechaty'
import type { FileBoxInterface } from 'file-box'
import type { Config, GroupConfig } from '../config.ts'
import { findGroup } from '../config.ts'
import type { Logger } from '../log.ts'
import type { Member, RoomMessenger } from './messenger.ts'
import type { Outbox } from './outbox.ts'
import type { SeenMembers } from '../store/seen-members.ts'

/** Sends a broadcast to a group by another channel (e.g. a WeCom group-robot webhook). */
export type BroadcastChannel = (text: string, mentions: string[]) => Promise<void>

/** Messenger over the running Wechaty: finds each configured group's room and sends via the outbox. */
export function createWechatyMessenger(opts: {
  bot: Wechaty
  config: Config
  outbox: Outbox
  log: Logger
  /** Broadcast channel per group key, used for scheduled broadcasts when present. */
  broadcastChannels?: Record<string, BroadcastChannel>
  /** Who has spoken in each group; completes the member list where the platform cannot list it. */
  seen?: SeenMembers
}): RoomMessenger {
  const { bot, config, outbox } = opts
  const rooms = new Map<string, Room>()

  const groupConfig = (key: string): GroupConfig => {
    const g = config.groups.find((x) => x.key === key)
    if (!g) throw new Error(`unknown group ${key}`)
    return g
  }

  const roomOf = async (groupKey: string): Promise<Room> => {
    const cached = rooms.get(groupKey)
    if (cached) return cached
    const g = groupConfig(groupKey)
    let room: Room | undefined
    if (g.id) {
      room = await bot.Room.find({ id: g.id })
    } else {
      room = await bot.Room.find({ topic: g.topic! })
    }
    if (!room) throw new Error(`room for group ${groupKey} not found`)
    rooms.set(groupKey, room)
    return room
  }

  const contact = async (id: string): Promise<Contact> => {
    const c = await bot.Contact.find({ id })
    if (!c) throw new Error(`contact ${id} not found`)
    return c
  }

  return {
    roomOf,
    async groupOf(room) {
      return findGroup(config, { id: room.id, topic: await room.topic() })
    },
    async toGroup(groupKey, text, o = {}) {
      const channel = o.broadcast ? opts.broadcastChannels?.[groupKey] : undefined
      if (channel) return channel(text, o.mentions ?? [])
      const room = await roomOf(groupKey)
      const mentions = await Promise.all((o.mentions ?? []).map(contact))
      await outbox.send(room, text, mentions)
    },
    async toContact(contactId, text) {
      await outbox.send(await contact(contactId), text)
    },
    async fileToContact(contactId: string, file: FileBoxInterface) {
      await outbox.sendFile(await contact(contactId), file)
    },
    async groupMembers(groupKey): Promise<Member[]> {
      const room = await roomOf(groupKey)
      await room.sync().catch(() => undefined)
      const self = bot.isLoggedIn ? bot.currentUser.id : undefined
      const members = (await room.memberAll()).map((m) => ({ id: m.id, name: m.name() }))
      // WeCom lists only those who wrote since the bot started; add everyone who ever spoke there
      for (const id of await opts.seen?.list(groupKey) ?? []) {
        if (members.some((m) => m.id === id)) continue
        const c = await bot.Contact.find({ id }).catch(() => undefined)
        members.push({ id, name: c?.name() || config.members[id] || id })
      }
      return members.filter((m) => m.id !== self)
    },
  }
}
