import type { FileBoxInterface } from 'file-box'
import type { Room } from 'wechaty'
import type { GroupConfig } from '../config.ts'

/** A member as the bot knows them in a room. */
export interface Member {
  id: string
  name: string
}

/**
 * How anything outside a message handler (jobs, CLI) talks to groups and people. Groups are
 * named by their configured key, never by a room id, since ids differ between instances.
 */
export interface Messenger {
  /** Say `text` in a group, @-mentioning `mentions` (contact ids). Split and paced by the outbox. */
  toGroup(groupKey: string, text: string, opts?: { mentions?: string[]; broadcast?: boolean }): Promise<void>
  /** Say `text` to one person privately. */
  toContact(contactId: string, text: string): Promise<void>
  /** Send a file to one person privately. */
  fileToContact(contactId: string, file: FileBoxInterface): Promise<void>
  /** Members of a group's room, without the bot itself. */
  groupMembers(groupKey: string): Promise<Member[]>
  /**
   * Whether this instance can reach the group (its account is in the room, or the group has a
   * robot). A broadcast hands groups it cannot reach to the instance that hosts them; absent: all.
   */
  reaches?(groupKey: string): Promise<boolean>
}

/** The messenger over a running Wechaty, as the listener sees it: it also finds a group's room and a room's group. */
export type RoomMessenger = Messenger & {
  roomOf(groupKey: string): Promise<Room>
  groupOf(room: Room): Promise<GroupConfig | undefined>
}
