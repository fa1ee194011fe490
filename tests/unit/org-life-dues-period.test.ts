import { describe, expect, it } from 'vitest'
import { zonedToEpoch, formatInZone } from '../../src/clock.ts'
import { duesPeriodAt } from '../../src/org-life/dues.ts'
import type { ScheduleDef } from '../../src/store/schedule-store.ts'
import type { GroupConfig } from '../../src/config.ts'

const tz = 'Asia/Shanghai'
const group = { key: 'g', secretaries: [], organizers: [], exclude: [] } as unknown as GroupConfig
const def = (o: Partial<ScheduleDef> = {}): ScheduleDef => ({ id: 'dues', group: 'g', cron: '0 9 1 * *', kind: 'dues', text: '通知', wrap: false, paused: false, source: 'config', ...o })

describe('duesPeriodAt', () => {
  it('names the month and is due at its last minute by default, reminding three days before', () => {
    const p = duesPeriodAt(def(), group, zonedToEpoch('2026-12-01', '09:00', tz), tz)
    expect(p.id).toBe('dues:2026-12')
    expect(p.label).toBe('2026年12月')
    expect(formatInZone(p.dueAt, tz)).toBe('2026-12-31 23:59')
    expect(formatInZone(p.remindAt, tz)).toBe('2026-12-28 23:59')
  })

  it('takes due and notice as durations, and never reminds before the notice went out', () => {
    const slot = zonedToEpoch('2028-02-01', '09:00', tz)
    const p = duesPeriodAt(def({ due: '20d', notice: '30d' }), group, slot, tz)
    expect(formatInZone(p.dueAt, tz)).toBe('2028-02-21 09:00')
    expect(p.remindAt).toBe(slot)
  })
})
