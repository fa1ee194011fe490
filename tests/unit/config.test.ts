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
