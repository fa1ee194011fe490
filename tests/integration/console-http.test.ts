import fs from 'node:fs'
import path from 'node:path'
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.ts'
import { startConsole, type ConsoleServer } from '../../src/console/server.ts'
import type { Deps } from '../../src/deps.ts'
import { startTestRedis, testClient } from '../support/redis.ts'
import { testDeps } from '../support/deps.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import { freePort } from '../support/browser.ts'
import type { Redis } from '../../src/store/redis.ts'

const G1 = '第一党支部学习群'
let server: Awaited<ReturnType<typeof startTestRedis>>
let redis: Redis
let deps: Deps
let web: ConsoleServer
let origin: string
let dir: string

beforeAll(async () => {
  server = await startTestRedis()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-console-http-'))
  const client = await testClient(server)
  redis = client.redis
  const port = await freePort()
  // behind the organisation's reverse proxy: https outside, a path prefix, plain http on 127.0.0.1 inside
  const config = parseConfig({
    groups: [{ topic: G1, secretaries: [{ id: 'wxid_zhangshuji', name: '张书记' }], organizers: [{ id: 'wxid_liweiyuan', name: '李委员' }] }],
    dataDir: dir,
    console: { port, publicUrl: 'https://dangjian.example.org/studybot/' },
  }, path.join(dir, 'studybot.yaml'), {})
  ;({ deps } = await testDeps({ config, redis, keys: client.keys }))
  const messenger = createRecordingMessenger({ members: { [G1]: [{ id: 'm1', name: '<img src=x onerror=alert(1)>' }, { id: 'm2', name: '小明' }] } })
  web = await startConsole({ deps, messenger })
  origin = `http://127.0.0.1:${port}`
})
afterAll(async () => {
  await web?.stop()
  await redis?.quit()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function login(): Promise<string> {
  const token = await deps.stores.consoleSessions.issueLink({ who: { id: 'wxid_zhangshuji', name: '张书记' }, roles: { [G1]: ['secretary'] }, via: 'cli' })
  const res = await fetch(`${origin}/studybot/login`, { method: 'POST', body: new URLSearchParams({ t: token }), redirect: 'manual' })
  expect(res.status).toBe(303)
  expect(res.headers.get('location')).toBe('/studybot/')
  return res.headers.get('set-cookie')!
}

describe('the console behind a reverse proxy', () => {
  it('links to the public https address and serves every page and asset under its path', async () => {
    expect(web.url).toBe('https://dangjian.example.org/studybot')
    const page = await fetch(`${origin}/studybot/login`)
    expect(page.status).toBe(200)
    const html = await page.text()
    const assets = [...html.matchAll(/(?:href|src)="(\/studybot\/assets\/[^"]+)"/g)].map((m) => m[1])
    expect(assets).toHaveLength(3)
    for (const a of assets) {
      const res = await fetch(`${origin}${a}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toContain('immutable')
    }
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect((await fetch(`${origin}/login`)).status).toBe(404)
  })

  it('sets an HttpOnly, SameSite=Strict, Secure cookie for 12 hours, scoped to the path', async () => {
    const cookie = await login()
    expect(cookie).toMatch(/^studybot_console=[A-Za-z0-9_-]{43};/)
    expect(cookie).toContain('Max-Age=43200')
    expect(cookie).toContain('Path=/studybot')
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('Secure')
    expect(cookie).toContain('SameSite=Strict')
    const overview = await fetch(`${origin}/studybot/`, { headers: { cookie: cookie.split(';')[0] } })
    expect(overview.status).toBe(200)
    expect(overview.headers.get('cache-control')).toBe('no-store')
    expect(await overview.text()).toContain(G1)
  })

  it('sends people without a session to the login page, and escapes what members chose as names', async () => {
    const anon = await fetch(`${origin}/studybot/participation`, { redirect: 'manual' })
    expect(anon.status).toBe(303)
    expect(anon.headers.get('location')).toBe('/studybot/login')
    await deps.stores.assignments.open({ id: 'a1', group: G1, title: '学习<b>党章</b>', dueAt: deps.clock.now() + 86400000 })
    const cookie = (await login()).split(';')[0]
    const html = await (await fetch(`${origin}/studybot/participation`, { headers: { cookie } })).text()
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('学习&lt;b&gt;党章&lt;/b&gt;')
  })
})
