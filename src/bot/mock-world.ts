import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { FileBox, type FileBoxInterface } from 'file-box'
import { PuppetMock, mock } from 'wechaty-puppet-mock'
import { groupName, personLabel, type Config, type GroupConfig } from '../config.ts'

/** One message the bot sent, as the simulator and `studybot play` print it. */
export interface SentMessage {
  room: string | null
  to: string | null
  text: string
  mentions: string[]
  file: string | null
  /** The account that sent it, when the config has `accounts:`. */
  account?: string
}

/** The mock puppet with the bot's outgoing messages reported as SentMessage events. */
class RecordingPuppet extends PuppetMock {
  readonly sent = new EventEmitter()
  /** Contents of the files the bot sent, by file name (tests read exports back from here). */
  readonly files = new Map<string, Buffer>()
  /** Set on the messages of one of several accounts. */
  account?: string

  override async messageSendText(conversationId: string, text: string, mentionIdList?: string[]): Promise<void> {
    await super.messageSendText(conversationId, text)
    this.sent.emit('sent', this.describe(conversationId, { text, mentions: mentionIdList ?? [], file: null }))
  }

  override async messageSendFile(conversationId: string, file: FileBoxInterface): Promise<void> {
    // the mock stores files as JSON, which only base64 and URL boxes support
    const data = await file.toBuffer()
    this.files.set(file.name, data)
    await super.messageSendFile(conversationId, FileBox.fromBase64(data.toString('base64'), file.name))
    this.sent.emit('sent', this.describe(conversationId, { text: '', mentions: [], file: file.name }))
  }

  private describe(conversationId: string, m: { text: string; mentions: string[]; file: string | null }): SentMessage {
    const isRoom = /@/.test(conversationId)
    const name = (id: string) => this.mocker.contactPayload(id).name
    return {
      room: isRoom ? this.mocker.roomPayload(conversationId).topic : null,
      to: isRoom ? null : name(conversationId),
      text: m.text,
      mentions: m.mentions.map(name),
      file: m.file,
      ...(this.account ? { account: this.account } : {}),
    }
  }
}

/**
 * A simulated WeChat: each configured group is a room, the configured secretaries and
 * organizers exist from the start, and other members are created on first use. With
 * `account`, the world of one of several accounts: only the rooms of `account.groups`.
 */
export function createMockWorld(config: Config, account?: { id: string; groups: readonly GroupConfig[] }) {
  const groups = account?.groups ?? config.groups
  const mocker = new mock.Mocker()
  const puppet = new RecordingPuppet({ mocker })
  puppet.account = account?.id
  // ids derive from names, so a member keeps their id (and their reflections) across restarts
  const botUser = mocker.createContact({ id: stableId('bot', account ? `${config.bot.name}:${account.id}` : config.bot.name), name: config.bot.name })
  // by display name; configured secretaries and organizers keep the ids the config gives them
  const people = new Map<string, mock.ContactMock>()
  const byId = new Map<string, mock.ContactMock>()
  const rooms = groups.map((g) => mocker.createRoom({
    id: g.id ? (g.id.includes('@') ? g.id : `${g.id}@chatroom`) : `${stableId('room', g.topic!)}@chatroom`,
    topic: groupName(g),
    memberIdList: [botUser.id],
  }))

  const join = (id: string, name: string): mock.ContactMock => {
    const c = mocker.createContact({ id, name })
    byId.set(id, c)
    for (const room of rooms) room.payload.memberIdList.push(c.id)
    return c
  }
  /** The member called `name` (created on first use); with `id`, the contact with that id, however named. */
  const member = (name: string, id?: string): mock.ContactMock => {
    if (id) return byId.get(id) ?? join(id, name)
    let c = people.get(name)
    if (!c) {
      c = join(stableId('wxid', name), name)
      people.set(name, c)
    }
    return c
  }
  for (const g of groups) {
    for (const p of [...g.secretaries, ...g.organizers]) {
      if (!p.id || byId.has(p.id)) continue
      const label = personLabel(p)
      people.set(label, join(p.id, label))
    }
  }

  const roomByTopic = (topic?: string): mock.RoomMock => {
    const room = topic === undefined ? rooms[0] : rooms.find((r) => r.payload.topic === topic)
    if (!room) throw new Error(`没有名为“${topic}”的群`)
    return room
  }

  return {
    mocker,
    puppet,
    /** The configured groups this world has rooms for. */
    groups,
    botUser,
    rooms,
    member,
    roomByTopic,
    /** Log the bot in; call after the bot has started. */
    login: () => mocker.login(botUser),
    /** Say `text` as `from` (the contact with id `o.id` when given), in a room (first by default) or privately to the bot. */
    say(from: string, text: string, o: { room?: string; mention?: boolean; private?: boolean; id?: string } = {}): void {
      const who = member(from, o.id)
      if (o.private) {
        who.say(text).to(botUser)
        return
      }
      const said = o.mention && !text.includes(`@${config.bot.name}`) ? `@${config.bot.name} ${text}` : text
      who.say(said, o.mention ? [botUser] : []).to(roomByTopic(o.room))
    },
    /** Each configured group with the ids and names of the people in its room (not the bot). */
    roster: () => groups.map((group, i) => ({
      group,
      people: rooms[i].payload.memberIdList.filter((id) => id !== botUser.id).map((id) => ({ id, name: mocker.contactPayload(id).name })),
    })),
    /** Subscribe to what the bot sends. */
    onSent(listener: (m: SentMessage) => void): void {
      puppet.sent.on('sent', listener)
    },
  }
}

/**
 * The groups an account's simulated world has rooms for: those the config lists under it, and
 * the unlisted ones in the worlds of accounts that list none (the first account's when every
 * account lists some), so "the account that sees the room" can be tried in the simulator.
 */
export function simulatedGroupsOf(config: Config, index: number): GroupConfig[] {
  const listed = new Set(config.accounts.flatMap((a) => a.groups))
  const takesUnlisted = config.accounts[index].groups.length === 0 || (index === 0 && config.accounts.every((a) => a.groups.length > 0))
  return config.groups.filter((g) => config.accounts[index].groups.includes(g.key) || (takesUnlisted && !listed.has(g.key)))
}

function stableId(kind: string, name: string): string {
  return `${kind}_${createHash('sha1').update(name).digest('hex').slice(0, 12)}`
}

/** The simulated world. */
export type MockWorld = ReturnType<typeof createMockWorld>
