import type { Contact, Room, Wechaty } from 'wechaty'
import type { FileBoxInterface } from 'file-box'
import type { Config, GroupConfig } from '../config.ts'
import { findGroup } from '../config.ts'
import type { Logger } from '../log.ts'
import type { Member, RoomMessenger } from './messenger.ts'
import type { Outbox } from './outbox.ts'
import type { SeenMembers } from '../store/seen-members.ts'
import type { GroupRooms } from '../store/group-rooms.ts'
import { chooseGroupChannel, type GroupChannel } from '../channels/choose-channel.ts'

/** Sends to a group by another channel (a WeCom group-robot webhook); `mentions` are user ids. */
export type BroadcastChannel = (text: string, mentions: string[]) => Promise<void>

/** The other ways to reach groups, and who hears of a broadcast refused for good. */
export interface GroupChannels {
  /** A group robot per group key that has one. */
  webhooks: Record<string, BroadcastChannel>
  /** A broadcast failed for good on `via`; tell whoever can fix it (never throws). */
  refused(groupKey: string, via: GroupChannel, err: unknown): Promise<void>
}

/** Messenger over the running Wechaty: finds each configured group's room and sends via the outbox. */
export function createWechatyMessenger(opts: {
  bot: Wechaty
  config: Config
  outbox: Outbox
  log: Logger
  /** Group robots, used for broadcasts and @-mentions where a group has one (chooseGroupChannel). */
  channels?: GroupChannels
  /** Who has spoken in each group; completes the member list where the platform cannot list it. */
  seen?: SeenMembers
  /** The room id each topic-configured group was first seen with (anyone can reuse a topic). */
  rooms?: GroupRooms
}): RoomMessenger {
  const { bot, config, outbox, log } = opts
  const rooms = new Map<string, Room>()
  const warned = new Set<string>()

  /** The id a topic-configured group is known by: the one remembered, else `roomId` (now remembered). */
  const bound = new Map<string, string>()
  const boundRoom = async (g: GroupConfig, roomId: string): Promise<string> => {
    if (!opts.rooms) return roomId
    const known = bound.get(g.key)
    if (known) return known
    try {
      const id = await opts.rooms.bind(g.key, roomId)
      bound.set(g.key, id)
      return id
    } catch (err) {
      log.warn({ err, group: g.key, roomId }, 'group room id unavailable; matching by topic')
      return roomId
    }
  }
  const impostor = (g: GroupConfig, roomId: string, bound: string) => {
    if (warned.has(roomId)) return
    warned.add(roomId)
    log.warn({ group: g.key, topic: g.topic, roomId, groupRoomId: bound }, 'room has the topic of a configured group but is not that group; ignored (write the group\'s id: in the config)')
  }

  // one lookup per send: a scan of every group would make a broadcast to thousands quadratic
  const groupsByKey = new Map(config.groups.map((g) => [g.key, g]))
  const groupConfig = (key: string): GroupConfig => {
    const g = groupsByKey.get(key)
    if (!g) throw new Error(`unknown group ${key}`)
    return g
  }

  // Rooms by topic, built once from one listing of every room (Room.find({ topic }) scans all
  // rooms per call: minutes for thousands of groups); listed again, at most every 30 s, when a
  // topic is missing (a room the bot joined later).
  let byTopic: Promise<Map<string, Room[]>> | undefined
  let listedAt = 0
  const topicIndex = (again: boolean): Promise<Map<string, Room[]>> => {
    if (byTopic && !(again && Date.now() - listedAt > 30_000)) return byTopic
    listedAt = Date.now()
    const listing = (async () => {
      // every room per topic: anyone can create a room named like a configured group
      const index = new Map<string, Room[]>()
      for (const room of await bot.Room.findAll()) {
        const topic = await room.topic()
        index.set(topic, [...index.get(topic) ?? [], room])
      }
      return index
    })()
    byTopic = listing
    listing.catch(() => { if (byTopic === listing) byTopic = undefined })
    return listing
  }

  const roomOf = async (groupKey: string): Promise<Room> => {
    const cached = rooms.get(groupKey)
    if (cached) return cached
    const g = groupConfig(groupKey)
    let room: Room | undefined
    if (g.id) {
      room = await bot.Room.find({ id: g.id })
    } else {
      const known = await opts.rooms?.roomId(g.key).catch(() => undefined)
      if (known) room = await bot.Room.find({ id: known })
      else {
        const named = (await topicIndex(false)).get(g.topic!) ?? (await topicIndex(true)).get(g.topic!) ?? []
        if (named.length > 1) throw new Error(`${named.length} rooms have the topic of group ${groupKey} (${named.map((r) => r.id).join(', ')}); write its id: in the config`)
        room = named[0]
        if (room) {
          const groupRoom = await boundRoom(g, room.id)
          if (groupRoom !== room.id) room = await bot.Room.find({ id: groupRoom })
        }
      }
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
    async reaches(groupKey) {
      if (opts.channels?.webhooks[groupKey]) return true
      return roomOf(groupKey).then(() => true, () => false)
    },
    async groupOf(room) {
      const g = findGroup(config, { id: room.id, topic: await room.topic() })
      // a group configured by id is exact; one configured by topic is the room first seen with it
      if (!g || g.id) return g
      const groupRoom = await boundRoom(g, room.id)
      if (groupRoom === room.id) return g
      impostor(g, room.id, groupRoom)
      return undefined
    },
    async toGroup(groupKey, text, o = {}) {
      const webhook = opts.channels?.webhooks[groupKey]
      const via = chooseGroupChannel({ hasWebhook: webhook !== undefined, broadcast: o.broadcast, mentions: o.mentions?.length })
      try {
        if (via === 'webhook') return await webhook!(text, o.mentions ?? [])
        const room = await roomOf(groupKey)
        const mentions = await Promise.all((o.mentions ?? []).map(contact))
        await outbox.send(room, text, mentions)
      } catch (err) {
        if (o.broadcast) await opts.channels?.refused(groupKey, via, err).catch((e: unknown) => opts.log.warn({ err: e, group: groupKey }, 'refusal notice failed'))
        throw err
      }
    },
    async toContact(contactId, text) {
      await outbox.send(await contact(contactId), text)
    },
    async fileToContact(contactId: string, file: FileBoxInterface) {
      await outbox.sendFile(await contact(contactId), file)
    },
    async groupMembers(groupKey): Promise<Member[]> {
      const room = await roomOf(groupKey)
      await room.sync().catch((err: unknown) => opts.log.warn({ err, group: groupKey }, 'room not synced; listing the members known so far'))
      const self = bot.isLoggedIn ? bot.currentUser.id : undefined
      const members = (await room.memberAll()).map((m) => ({ id: m.id, name: m.name() }))
      // WeCom lists only those who wrote since the bot started; add everyone who ever spoke there
      for (const id of await opts.seen?.list(groupKey) ?? []) {
        if (members.some((m) => m.id === id)) continue
        const c = await bot.Contact.find({ id }).catch((err: unknown) => {
          opts.log.debug({ err, group: groupKey, contactId: id }, 'contact not found; named from the config')
          return undefined
        })
        members.push({ id, name: c?.name() || config.members[id] || id })
      }
      return members.filter((m) => m.id !== self)
    },
  }
}
