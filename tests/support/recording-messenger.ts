import type { Member, Messenger } from '../../src/bot/messenger.ts'

/** One thing a recording messenger was asked to send. */
export interface Recorded {
  group?: string
  to?: string
  text: string
  mentions?: string[]
  at: number
}

/**
 * A Messenger (the platform boundary) that records sends instead of talking to WeChat.
 * `failNext` makes the next N group sends throw, as a flaky network would.
 */
export function createRecordingMessenger(opts: { members?: Record<string, Member[]>; onSend?: (r: Recorded) => void } = {}) {
  const sent: Recorded[] = []
  let failures = 0
  const record = (r: Recorded) => { sent.push(r); opts.onSend?.(r) }
  const messenger: Messenger & { sent: Recorded[]; failNext(n: number): void } = {
    sent,
    failNext(n) { failures = n },
    async toGroup(groupKey, text, o) {
      if (failures > 0) {
        failures--
        throw new Error('simulated send failure')
      }
      record({ group: groupKey, text, mentions: o?.mentions, at: Date.now() })
    },
    async toContact(contactId, text) { record({ to: contactId, text, at: Date.now() }) },
    async fileToContact(contactId, file) { record({ to: contactId, text: `[file] ${file.name}`, at: Date.now() }) },
    async groupMembers(groupKey) { return opts.members?.[groupKey] ?? [] },
  }
  return messenger
}
