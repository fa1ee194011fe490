import type { Room, Wechaty } from 'wechaty'
import type { PuppetInterface } from 'wechaty-puppet/impls'
import type { AccountConfig } from '../config.ts'
import type { Logger } from '../log.ts'
import type { PlatformExtras } from './platform.ts'
import type { RoomMessenger } from './messenger.ts'
import type { Outbox } from './outbox.ts'

/** One account to start: its entry in config.accounts and the puppet chosen for it. */
export interface AccountStart {
  account: AccountConfig
  puppet: PuppetInterface | string
  puppetOptions?: Record<string, unknown>
  /** What the platform adds (WeCom: longer messages, the thinking frame, answer ratings). */
  platform?: PlatformExtras
}

/** One bot account of the process: its Wechaty, its own paced outbox, and the rooms it sees. */
export interface Account {
  id: string
  bot: Wechaty
  outbox: Outbox
  /** Only this account's rooms and contacts. */
  messenger: RoomMessenger
  /** Keys of the groups the config gives this account. */
  groups: readonly string[]
}

/** The accounts of one process and which of them hosts each group. */
export interface AccountRouter {
  /** Everything outside a message (jobs, console, notices): each group through its host, each person through an account that knows them. */
  messenger: RoomMessenger
  /** What `account`'s listener sees: like `messenger`, but a room counts only when this account hosts its group. */
  viewOf(account: Account): RoomMessenger
  /** The account a group's messages and broadcasts go through. */
  hostOf(groupKey: string): Promise<Account>
}

/**
 * Route groups to accounts: a group listed under an account is that account's; any other group
 * is hosted by the first account (in config order) that sees its room, remembered once found.
 * A group no account sees goes to the first, whose messenger may still reach it by webhook or
 * fail with the usual "room not found". One account hosts everything, with no lookup.
 */
export function createAccountRouter(accounts: readonly Account[], log: Logger): AccountRouter {
  if (accounts.length === 0) throw new Error('no account to route through')
  const listed = new Map<string, Account>()
  for (const a of accounts) for (const key of a.groups) listed.set(key, a)
  const seenBy = new Map<string, Account>()

  const hostOf = async (groupKey: string): Promise<Account> => {
    const host = accounts.length === 1 ? accounts[0] : listed.get(groupKey) ?? seenBy.get(groupKey)
    if (host) return host
    for (const a of accounts) {
      if (await a.messenger.roomOf(groupKey).then(() => true, () => false)) {
        seenBy.set(groupKey, a)
        log.info({ group: groupKey, account: a.id }, 'group hosted by the account that sees its room')
        return a
      }
    }
    return accounts[0]
  }

  /** The account that knows a contact (private messages go through it); the first when none does. */
  const knownBy = new Map<string, Account>()
  const contactHost = async (contactId: string): Promise<Account> => {
    if (accounts.length === 1) return accounts[0]
    const known = knownBy.get(contactId)
    if (known) return known
    for (const a of accounts) {
      const c = await a.bot.Contact.find({ id: contactId }).catch(() => undefined)
      if (c) {
        knownBy.set(contactId, a)
        return a
      }
    }
    return accounts[0]
  }

  /** The account whose Wechaty a room object belongs to. */
  const ownerOf = (room: Room): Account =>
    accounts.find((a) => (room as unknown as { wechaty?: unknown }).wechaty === a.bot) ?? accounts[0]

  const groupOfIn = async (account: Account, room: Room) => {
    const g = await account.messenger.groupOf(room)
    if (!g || accounts.length === 1) return g
    const host = await hostOf(g.key)
    if (host === account) return g
    log.debug({ group: g.key, account: account.id, host: host.id, roomId: room.id }, 'room of a group another account hosts; ignored')
    return undefined
  }

  const messenger: RoomMessenger = {
    roomOf: async (groupKey) => (await hostOf(groupKey)).messenger.roomOf(groupKey),
    groupOf: (room) => groupOfIn(ownerOf(room), room),
    toGroup: async (groupKey, text, o) => (await hostOf(groupKey)).messenger.toGroup(groupKey, text, o),
    toContact: async (contactId, text) => (await contactHost(contactId)).messenger.toContact(contactId, text),
    fileToContact: async (contactId, file) => (await contactHost(contactId)).messenger.fileToContact(contactId, file),
    groupMembers: async (groupKey) => (await hostOf(groupKey)).messenger.groupMembers(groupKey),
    reaches: async (groupKey) => {
      const host = await hostOf(groupKey)
      return host.messenger.reaches ? host.messenger.reaches(groupKey) : true
    },
  }

  return {
    messenger: accounts.length === 1 ? accounts[0].messenger : messenger,
    hostOf,
    viewOf: (account) => (accounts.length === 1 ? account.messenger : { ...messenger, groupOf: (room) => groupOfIn(account, room) }),
  }
}
