import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { ConfigError, loadConfig, parseConfig } from '../../src/config.ts'
import { tempDir } from '../support/temp-dir.ts'

const file = path.join(tempDir('config'), 'studybot.yaml')
const good = { groups: [{ topic: '第一党支部学习群', secretaries: [{ id: 'wxid_zhangshuji', name: '张书记' }] }] }

function problems(raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(raw, file, env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

describe('config', () => {
  it('fills defaults and resolves paths against the config file', () => {
    const config = parseConfig(good, file, { REDIS_URL: 'redis://x' })
    expect(config.bot.name).toBe('学习助手')
    expect(config.timezone).toBe('Asia/Shanghai')
    expect(config.materials).toBe(path.join(path.dirname(file), 'materials'))
    expect(config.groups[0].key).toBe('第一党支部学习群')
    expect(config.secrets.redisUrl).toBe('redis://x')
    expect(Object.isFrozen(config.groups[0])).toBe(true)
  })

  it('lists every problem at once, with its path, in Chinese', () => {
    const list = problems({
      bot: { name: '助手', sendIntervalMs: 'fast' },
      timezone: 'Mars/Base',
      groups: [{ topic: 'A', secretary: ['x'] }],
      schedules: [{ id: 's1', group: '不存在的群', cron: '99 * * *', kind: 'text', text: 'hi' }],
      typo: 1,
    })
    const joined = list.join('\n')
    expect(joined).toContain('bot.sendIntervalMs')
    expect(joined).toContain('timezone')
    expect(joined).toContain('groups[0]')
    expect(joined).toMatch(/未知的配置项.*secretary/)
    expect(joined).toMatch(/未知的配置项.*typo/)
    expect(list.length).toBeGreaterThanOrEqual(4)
  })

  it('checks schedules against groups, cron syntax and materials', () => {
    const list = problems({
      ...good,
      schedules: [
        { id: 'a', group: '不存在的群', cron: '0 9 * * 1', kind: 'text', text: 'x' },
        { id: 'b', group: '*', cron: 'every monday', kind: 'text', text: 'x' },
        { id: 'c', group: '*', cron: '0 9 * * *', kind: 'study-plan', doc: 'missing.md' },
        { id: 'd', group: '*', cron: '0 9 * * *', kind: 'broadcast' },
      ],
    })
    expect(list.some((p) => p.startsWith('schedules[0].group'))).toBe(true)
    expect(list.some((p) => p.startsWith('schedules[1].cron'))).toBe(true)
    expect(list.some((p) => p.startsWith('schedules[2].doc'))).toBe(true)
    expect(list.some((p) => p.startsWith('schedules[3].kind'))).toBe(true)
  })

  it('names a missing webhook variable and a group without topic or id', () => {
    const list = problems({ groups: [{ secretaries: [] }, { topic: 'B', webhook: 'HOOK_B' }] })
    expect(list.join('\n')).toMatch(/groups\[0\].*topic/)
    expect(list.join('\n')).toMatch(/HOOK_B/)
  })

  it('without accounts: one account from bot.puppet and the environment, paced by bot.sendIntervalMs', () => {
    const config = parseConfig({ ...good, bot: { puppet: 'wecom', sendIntervalMs: 700 } }, file, { WECOM_BOT_ID: 'id1', WECOM_BOT_SECRET: 's1' })
    expect(config.accounts).toEqual([{ id: 'default', puppet: 'wecom', sendIntervalMs: 700, groups: [], wecom: { botId: 'id1', secret: 's1' } }])
  })

  it('reads accounts: their groups by topic or id as keys, their secrets from the variables they name, their own pacing', () => {
    const config = parseConfig({
      bot: { sendIntervalMs: 1200 },
      groups: [{ topic: '一支部' }, { id: 'room2@chatroom', topic: '二支部' }, { topic: '三支部' }],
      accounts: [
        { id: 'east', puppet: 'wecom', wecom: { botId: 'EAST_ID', secret: 'EAST_SECRET' }, groups: ['一支部', 'room2@chatroom'] },
        { id: 'west', puppet: 'wechaty-puppet-service', token: 'WEST_TOKEN', sendIntervalMs: 500, groups: ['三支部'] },
      ],
    }, file, { EAST_ID: 'e1', EAST_SECRET: 'es', WEST_TOKEN: 'wt' })
    expect(config.accounts).toEqual([
      { id: 'east', puppet: 'wecom', groups: ['一支部', 'room2@chatroom'], sendIntervalMs: 1200, wecom: { botId: 'e1', secret: 'es' } },
      { id: 'west', puppet: 'wechaty-puppet-service', groups: ['三支部'], sendIntervalMs: 500, puppetToken: 'wt', wecom: {} },
    ])
  })

  it('says in Chinese what is wrong with accounts, naming variables but never their values', () => {
    const list = problems({
      groups: [{ topic: '一支部' }, { topic: '二支部' }],
      accounts: [
        { id: 'east', puppet: 'wecom', groups: ['一支部', '不存在的群'] },
        { id: 'east', token: 'WEST_TOKEN', groups: ['一支部'] },
        { id: 'bad id', puppet: 'wecom', wecom: { botId: 'ID_VAR', secret: 'lower' }, group: [] },
      ],
    }, { ID_VAR: 'secret-value' })
    const joined = list.join('\n')
    expect(joined).toMatch(/accounts\[0\]\.wecom：企业微信账号需要/)
    expect(joined).toMatch(/accounts\[0\]\.groups\[1\]：“不存在的群”不是已配置的学习群/)
    expect(joined).toMatch(/accounts\[1\]\.id：账号 id“east”重复/)
    expect(joined).toMatch(/accounts\[1\]：环境变量 WEST_TOKEN 未设置/)
    expect(joined).toMatch(/accounts\[1\]\.groups\[0\]：群“一支部”已分给账号“east”/)
    expect(joined).toMatch(/accounts\[2\]\.id：账号 id 只能包含/)
    expect(joined).toMatch(/accounts\[2\]\.wecom\.secret：应为环境变量名/)
    expect(joined).toMatch(/accounts\[2\]：未知的配置项 “group”/)
    expect(joined).not.toContain('secret-value')
    expect(problems({ ...good, accounts: [] }).join('\n')).toMatch(/accounts：至少需要一个账号/)
    // WeCom cannot tell which groups a bot is in: with a WeCom account every group is listed
    const wecom = { puppet: 'wecom', wecom: { botId: 'ID_VAR', secret: 'ID_VAR' } }
    expect(problems({
      groups: [{ topic: '一支部' }, { topic: '二支部' }],
      accounts: [{ id: 'a', ...wecom, groups: ['一支部'] }, { id: 'b', ...wecom }],
    }, { ID_VAR: 'x' })).toEqual(['accounts：群“二支部”没有分给任何账号（有企业微信账号时，每个群都要写进某个账号的 groups：企业微信机器人看不出自己在哪些群里）'])
  })

  it('reports an unreadable file and bad YAML', () => {
    expect(() => loadConfig('/nonexistent/studybot.yaml', {})).toThrow(/找不到配置文件/)
    fs.writeFileSync(file, 'groups: [\n  - topic: :')
    expect(() => loadConfig(file, {})).toThrow(/YAML/)
  })

  it('the committed config is valid', () => {
    const config = loadConfig(path.resolve(import.meta.dirname, '../../config/studybot.yaml'), {})
    expect(config.groups.length).toBeGreaterThan(0)
  })
})
