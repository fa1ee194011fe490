import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..', '..')

function probe(tz: string) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'tests/support/tz-probe.ts')], {
    cwd: root, env: { ...process.env, TZ: tz }, encoding: 'utf8',
  })
  return JSON.parse(out) as { processOffset: number; weekly: string[]; daily: string[]; nodeCronMatches: boolean }
}

describe('the machine time zone', () => {
  it('changes nothing: schedules fire on Beijing time under TZ=UTC and TZ=Asia/Shanghai', () => {
    const utc = probe('UTC')
    const beijing = probe('Asia/Shanghai')
    const ny = probe('America/New_York')
    expect(utc.processOffset).toBe(0)
    expect(beijing.processOffset).toBe(-480)
    const { processOffset: _a, ...a } = utc
    const { processOffset: _b, ...b } = beijing
    const { processOffset: _c, ...c } = ny
    expect(a).toEqual(b)
    expect(c).toEqual(b)
    expect(b).toEqual({
      weekly: ['2026-11-30T09:00:00+08:00', '2026-12-07T09:00:00+08:00', '2026-12-14T09:00:00+08:00'],
      daily: ['2026-12-01 07:30', '2026-12-02 07:30'],
      nodeCronMatches: true,
    })
  })
})
