/**
 * Who and which groups the puppet has seen. WeCom gives neither contact lists nor group names:
 * contacts are the userids that wrote to the bot, rooms the chatids it was @-mentioned in (or
 * that Wechaty asked for by id), and a room's members the userids seen there so far.
 */
export function createDirectory(opts: { botId: string; botName?: string; members: Record<string, string> }) {
  const contacts = new Set<string>()
  const rooms = new Map<string, Set<string>>()

  return {
    /** Display name of a userid: the configured name, else the userid. */
    nameOf(id: string): string {
      if (id === opts.botId) return opts.botName ?? opts.botId
      return opts.members[id] ?? id
    },
    /** Record a sender (in a room, if given); true when the room gained a member. */
    noteSender(userid: string, chatid?: string): boolean {
      contacts.add(userid)
      if (!chatid) return false
      const members = this.noteRoom(chatid)
      if (members.has(userid)) return false
      members.add(userid)
      return true
    },
    /** Record a chatid as a group; returns its members. */
    noteRoom(chatid: string): Set<string> {
      let members = rooms.get(chatid)
      if (!members) rooms.set(chatid, members = new Set())
      return members
    },
    isRoom(id: string): boolean { return rooms.has(id) },
    roomIds(): string[] { return [...rooms.keys()] },
    roomMembers(chatid: string): string[] { return [...(rooms.get(chatid) ?? [])] },
    contactIds(): string[] { return [opts.botId, ...contacts] },
  }
}

/** The directory's type. */
export type Directory = ReturnType<typeof createDirectory>
