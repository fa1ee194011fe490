import type { FiringOutcome, SlotSummary } from '../store/schedule-store.ts'
import type { GroupOutcome } from '../store/slot-work.ts'

/** Count a slot's recorded group outcomes; `finished` (a study plan that ran out) and `nothing` (no birthday that day) count as sent. */
export function summarizeSlot(slot: number, total: number, done: Record<string, GroupOutcome>): SlotSummary {
  const s: SlotSummary = { slot, total, sent: 0, failed: 0, missed: 0, unconfirmed: 0, problems: [] }
  for (const [group, o] of Object.entries(done)) {
    if (o.outcome === 'sent' || o.outcome === 'finished' || o.outcome === 'nothing') s.sent++
    else s[o.outcome]++
    if (o.outcome === 'failed' || o.outcome === 'unconfirmed') {
      if (s.problems.length < 20) s.problems.push({ group, outcome: o.outcome as FiringOutcome, ...(o.error ? { error: o.error } : {}) })
    }
  }
  return s
}
