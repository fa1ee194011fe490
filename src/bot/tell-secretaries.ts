import type { Config, GroupConfig } from '../config.ts'
import type { Logger } from '../log.ts'
import type { Messenger } from './messenger.ts'

/**
 * Send `text` privately to each secretary of a group; returns how many were told. Secretaries
 * are reached by the id the config gives them, never by a nickname (anyone can take a name).
 */
export async function tellSecretaries(messenger: Messenger, config: Config, group: GroupConfig, text: string, log: Logger): Promise<number> {
  let told = 0
  for (const id of new Set(group.secretaries.map((p) => p.id))) {
    if (!id) {
      log.warn({ group: group.key }, 'secretary configured by name only; not told')
      continue
    }
    try {
      await messenger.toContact(id, text)
      told++
    } catch (err) {
      log.warn({ err, group: group.key, secretary: id }, 'secretary not told')
    }
  }
  return told
}
