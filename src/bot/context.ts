import type { FileBoxInterface } from 'file-box'
import type { Deps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import type { Messenger, Member } from './messenger.ts'
import type { Action } from './roles.ts'
import type { Middleware } from './compose.ts'

/** One incoming message as every handler sees it. */
export interface Ctx {
  deps: Deps
  messenger: Messenger
  messageId: string
  /** The text with the @bot mention removed and whitespace trimmed. */
  text: string
  /** True when the bot was @-mentioned (always true in a private chat). */
  mentioned: boolean
  isPrivate: boolean
  /** The configured group the message was said in; undefined in a private chat. */
  room?: GroupConfig
  /** Configured groups the sender belongs to (for private chats: where their words count). */
  senderGroups: GroupConfig[]
  sender: Member
  /** May the sender do this in `group` (default: the room, or their only group)? */
  may(action: Action, group?: GroupConfig): boolean
  /** Reply where the message came from (room or private chat); split and paced. */
  reply(text: string, opts?: { mentions?: string[] }): Promise<void>
  /** Reply to the sender privately, wherever the message came from. */
  replyPrivately(text: string): Promise<void>
  /** Send a file to the sender privately. */
  sendFilePrivately(file: FileBoxInterface): Promise<void>
}

/** A step in the message chain: handle the message, or call next() to pass it on. */
export type Handler = Middleware<Ctx>

/**
 * If the text is `#name rest` (or `＃name rest`, with or without a space after the name), the
 * trimmed rest; otherwise undefined. The longest matching name wins (心得体会 before 心得).
 */
export function commandArgs(text: string, ...names: string[]): string | undefined {
  const m = /^[#＃]\s*([\s\S]*)$/.exec(text.trim())
  if (!m) return undefined
  const body = m[1]
  const name = [...names].sort((a, b) => b.length - a.length).find((n) => body.startsWith(n))
  return name === undefined ? undefined : body.slice(name.length).trim()
}
