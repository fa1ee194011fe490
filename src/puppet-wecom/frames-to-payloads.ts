import * as PUPPET from 'wechaty-puppet'

/** The body of an `aibot_msg_callback` frame, as far as this puppet reads it. */
export interface IncomingBody {
  msgid: string
  aibotid?: string
  /** Groups only. */
  chatid?: string
  chattype: 'single' | 'group'
  from: { userid: string }
  create_time?: number
  msgtype: string
  text?: { content: string }
  voice?: { content: string }
  mixed?: { msg_item: Array<{ msgtype: string; text?: { content: string } }> }
  image?: { url: string; aeskey?: string }
  file?: { url: string; aeskey?: string }
  video?: { url: string; aeskey?: string }
  quote?: unknown
}

/** The conversation a message belongs to: the group's chatid, or the sender for a private chat. */
export function conversationIdOf(body: IncomingBody): string {
  return body.chattype === 'group' && body.chatid ? body.chatid : body.from.userid
}

/** Plain text of a message: text, transcribed voice, the text items of a mixed message. */
export function textOf(body: IncomingBody): string {
  switch (body.msgtype) {
    case 'text': return body.text?.content ?? ''
    case 'voice': return body.voice?.content ?? ''
    case 'mixed': return (body.mixed?.msg_item ?? [])
      .filter((item) => item.msgtype === 'text' && item.text)
      .map((item) => item.text!.content)
      .join('\n')
    default: return ''
  }
}

/**
 * Remove the bot's own @-mention from a group message. WeCom keeps the `@BotName ` prefix in the
 * text; with a known name only that mention goes, otherwise the leading `@word`.
 */
export function stripBotMention(text: string, botName?: string): string {
  if (botName) {
    const mention = `@${botName}`
    const at = text.indexOf(mention)
    if (at >= 0) return (text.slice(0, at) + text.slice(at + mention.length).replace(/^\s+/, '')).trim()
  }
  return text.replace(/^\s*@\S+\s*/, '').trim()
}

const MESSAGE_TYPES: Record<string, PUPPET.types.Message> = {
  text: PUPPET.types.Message.Text,
  voice: PUPPET.types.Message.Text,
  mixed: PUPPET.types.Message.Text,
  image: PUPPET.types.Message.Image,
  file: PUPPET.types.Message.Attachment,
  video: PUPPET.types.Message.Video,
}

/** Wechaty message payload for an incoming WeCom message; group messages mention the bot. */
export function messagePayloadOf(body: IncomingBody, botId: string, botName?: string): PUPPET.payloads.Message {
  const base = {
    id: body.msgid,
    talkerId: body.from.userid,
    timestamp: body.create_time ?? Math.floor(Date.now() / 1000),
    type: MESSAGE_TYPES[body.msgtype] ?? PUPPET.types.Message.Unknown,
  }
  if (body.chattype === 'group' && body.chatid) {
    // Only @-mentions of the bot reach it in groups.
    return { ...base, roomId: body.chatid, text: stripBotMention(textOf(body), botName), mentionIdList: [botId] }
  }
  return { ...base, listenerId: botId, text: textOf(body) }
}

/** Contact payload for a userid; WeCom gives no names, so they come from the configured map. */
export function contactPayloadOf(id: string, name: string): PUPPET.payloads.Contact {
  return {
    id,
    name,
    avatar: '',
    gender: PUPPET.types.ContactGender.Unknown,
    type: PUPPET.types.Contact.Individual,
    phone: [],
    friend: true,
  }
}

/** Room payload for a chatid; WeCom gives no group names, so the topic is the chatid. */
export function roomPayloadOf(chatid: string, memberIdList: string[]): PUPPET.payloads.Room {
  return { id: chatid, topic: chatid, memberIdList: [...memberIdList], adminIdList: [], avatar: '' }
}

/**
 * Markdown for an outgoing text. `<@userid>` in the bot's markdown shows as plain text and
 * notifies nobody (REPORT wecom-cli#103; the documented markdown subset has no mentions), so
 * mentions stay names: Wechaty's `@name` + U+2005 becomes `@name `, and a mentioned name that
 * is not in the text is put in front.
 */
export function renderMentions(text: string, names: string[]): string {
  const missing = names.filter((name) => !text.includes(`@${name}`)).map((name) => `@${name}`)
  const out = text.replace(/\u2005/g, ' ')
  return missing.length ? `${missing.join(' ')} ${out}` : out
}

/** What a member said about an answer (`feedback_event`): DOC type 1 accurate, 2 inaccurate, 3 withdrawn. */
export interface FeedbackData {
  id: string
  type: number
  content?: string
  inaccurate_reason_list?: number[]
}

/** The body of an `aibot_event_callback` frame, as far as this puppet reads it. */
export interface EventBody {
  msgid: string
  chatid?: string
  chattype?: 'single' | 'group'
  from?: { userid: string }
  event?: { eventtype: string; feedback_event?: FeedbackData } & Partial<FeedbackData>
}

/** The feedback of a `feedback_event`: WeCom nests an event's data under its type's name. */
export function feedbackOf(body: EventBody): FeedbackData | undefined {
  const data = body.event?.feedback_event ?? body.event
  return data && typeof data.id === 'string' && typeof data.type === 'number' ? data as FeedbackData : undefined
}
