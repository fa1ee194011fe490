import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.ts'
import { may, nameOnlyRoles, rolesIn } from '../../src/bot/roles.ts'

const config = parseConfig({
  groups: [{
    topic: '一支部',
    secretaries: ['wxid_zhangshuji', { id: 'wxid_wang', name: '王书记' }, '刘书记', { name: '赵书记' }],
    organizers: ['李委员', { name: '钱委员' }],
  }],
  members: { liweiyuan: '李委员' },
}, '/tmp/studybot.yaml', {})
const [g] = config.groups

describe('roles by platform id', () => {
  it('grants by the configured id, never by a display name', () => {
    expect(may(g, { id: 'wxid_zhangshuji' }, 'schedule')).toBe(true)
    expect(may(g, { id: 'wxid_wang' }, 'schedule')).toBe(true)
    // someone calling themselves 王书记 (or wxid_wang) with another id
    expect(may(g, { id: 'wxid_other', name: '王书记' } as { id: string }, 'schedule')).toBe(false)
    expect(may(g, { id: 'wxid_other', name: 'wxid_wang' } as { id: string }, 'schedule')).toBe(false)
  })

  it('reads a plain string as an id, unless it is a name in the members map', () => {
    expect(rolesIn(g, { id: 'liweiyuan' })).toContain('organizer')
    expect(rolesIn(g, { id: '李委员' })).not.toContain('organizer')
    // a name-only entry not in members grants nothing
    expect(g.secretaries.find((p) => p.entry === '赵书记')?.id).toBeUndefined()
  })

  it('lists each entry that is a name rather than an id', () => {
    expect(nameOnlyRoles(config).map((r) => `${r.role}:${r.entry}`)).toEqual(['secretary:刘书记', 'secretary:赵书记', 'organizer:钱委员'])
  })
})
