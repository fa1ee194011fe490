import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stringify } from 'yaml'
import { startTestRedis } from '../support/redis.ts'
import { baseConfig, repoRoot } from '../support/harness.ts'
import { connectRedis } from '../../src/store/redis.ts'
import { createKeys } from '../../src/store/keys.ts'

let server: Awaited<ReturnType<typeof startTestRedis>>
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-sched-'))

beforeAll(async () => { server = await startTestRedis() })
afterAll(async () => {
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

function play(config: string, scriptFile: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; lines: Array<Record<string, unknown>> }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'studybot.js'), 'play', scriptFile, '--config', config], {
      cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
    })
    let out = ''
    child.stdout.on('data', (d) => { out += String(d) })
    child.on('exit', (code) => resolve({ code, lines: out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) }))
  })
}

describe('scheduled broadcasts through studybot play', () => {
  const config = path.join(dir, 'tick.yaml')
  const script = path.join(dir, 'wait.jsonl')
  fs.writeFileSync(script, '{"wait":7000}\n')

  it('prints each slot of a */2 s text schedule once, and two instances on one Redis never both send a slot', async () => {
    fs.writeFileSync(config, stringify({
      ...baseConfig(),
      dataDir: path.join(dir, 'data'),
      schedules: [{ id: 'tick', group: '第一党支部学习群', cron: '*/2 * * * * *', kind: 'text', text: '每两秒的学习提醒' }],
    }))
    const single = await play(config, script, { REDIS_URL: server.url })
    expect(single.code).toBe(0)
    expect(single.lines.length).toBeGreaterThanOrEqual(2)
    for (const l of single.lines) expect(l).toMatchObject({ room: '第一党支部学习群', text: '每两秒的学习提醒' })

    // a fresh key space for the pair: the same Redis, another group key
    fs.writeFileSync(config, stringify({
      ...baseConfig(),
      dataDir: path.join(dir, 'data'),
      groups: [{ topic: '第三党支部学习群', secretaries: [{ id: 'wxid_qianshuji', name: '钱书记' }] }],
      schedules: [{ id: 'tick2', group: '*', cron: '*/2 * * * * *', kind: 'text', text: '双实例提醒' }],
    }))
    const began = Date.now()
    const [a, b] = await Promise.all([play(config, script, { REDIS_URL: server.url }), play(config, script, { REDIS_URL: server.url })])
    // the */2 s slots between the first spawn and the last exit (more when a busy machine staggers them)
    const slots = Math.floor(Date.now() / 2000) - Math.floor(began / 2000)
    expect(a.code).toBe(0)
    expect(b.code).toBe(0)
    const total = a.lines.length + b.lines.length
    // both ran ~7 s over mostly the same slots: one send per slot, never two
    expect(total).toBeGreaterThanOrEqual(2)
    expect(total).toBeLessThanOrEqual(slots)
    // every slot recorded sent in its work list in Redis was sent by exactly one of them
    const redis = await connectRedis(server.url)
    const lists = await redis.keys(`${createKeys().prefix}:{work:tick2:*}:done`)
    const sent = (await Promise.all(lists.map((k) => redis.hget(k, '第三党支部学习群')))).filter((v) => v && JSON.parse(v).outcome === 'sent')
    await redis.quit()
    expect(sent.length).toBe(total)
  }, 60_000)
})
