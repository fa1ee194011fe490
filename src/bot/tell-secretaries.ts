import type { Config, GroupConfig } from '../config.ts'
import type { Logger } from '../log.ts'
import type { Messenger } from './messenger.ts'

/**
 * Send `text` privately to each secretary of a group; returns how many were told. Secretaries
 * are configured by name or id: a name is looked up among the room's members, then in the
 * `members:` map (WeCom only knows members who wrote to the bot).
 */
export async function tellSecretaries(messenger: Messenger, config: Config, group: GroupConfig, text: string, log: Logger): Promise<number> {
  const members = await messenger.groupMembers(group.key).catch((err: unknown) => {
    log.warn({ err, group: group.key }, 'group members not listed; secretaries found by config only')
    return []
  })
  const idOf = (who: string): string | undefined =>
    members.find((m) => m.id === who || m.name === who)?.id
    ?? Object.keys(config.members).find((id) => id === who || config.members[id] === who)
  let told = 0
  for (const who of new Set(group.secretaries)) {
    const id = idOf(who)
    if (!id) {
      log.warn({ group: group.key, secretary: who }, 'secretary not found in group')
      continue
    }
    try {
      await messenger.toContact(id, text)
      told++
    } catch (err) {
      log.warn({ err, group: group.key, secretary: who }, 'secretary not told')
    }
  }
  return told
}
