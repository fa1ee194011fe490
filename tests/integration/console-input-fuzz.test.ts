import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.ts'
import { startConsole, type ConsoleServer } from '../../src/console/server.ts'
import type { Deps } from '../../src/deps.ts'
import type { Redis } from '../../src/store/redis.ts'
import { startTestRedis, testClient } from '../support/redis.ts'
import { captureLog, testDeps, type LogLine } from '../support/deps.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import { freePort } from '../support/browser.ts'

const G1 = '第一党支部学习群'
let server: Awaited<ReturnType<typeof startTestRedis>>
let redis: Redis
let deps: Deps
let logs: LogLine[]
let web: ConsoleServer
let origin: string
let dir: string
let cookie: string
let csrf: string

beforeAll(async () => {
  server = await startTestRedis()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-console-fuzz-'))
  fs.mkdirSync(path.join(dir, 'materials'))
  const client = await testClient(server)
  redis = client.redis
  const port = await freePort()
  // one person who is both secretary and organizer, so every page and action is open to them
  const config = parseConfig({
    groups: [{ topic: G1, secretaries: ['张书记'], organizers: ['张书记'] }],
    dataDir: dir, materials: path.join(dir, 'materials'), minScheduleIntervalMinutes: 0,
    console: { port },
    schedules: [{ id: 'prompt1', group: G1, cron: '0 9 * * 1', kind: 'text', text: '学习党章' }],
  }, path.join(dir, 'studybot.yaml'), {})
  ;({ deps, logs } = await testDeps({ config, redis, keys: client.keys, capture: captureLog('warn') }))
  await deps.stores.assignments.open({ id: 'a1', group: G1, title: '学习党章', dueAt: deps.clock.now() + 86400000 })
  const messenger = createRecordingMessenger({ members: { [G1]: [{ id: 'm1', name: '小明' }, { id: '张书记', name: '张书记' }] } })
  web = await startConsole({ deps, messenger })
  origin = `http://127.0.0.1:${port}`
  const token = await deps.stores.consoleSessions.issueLink({ who: { id: '张书记', name: '张书记' }, roles: { [G1]: ['secretary', 'organizer'] }, via: 'cli' })
  const res = await fetch(`${origin}/login`, { method: 'POST', body: new URLSearchParams({ t: token }), redirect: 'manual' })
  cookie = res.headers.get('set-cookie')!.split(';')[0]
  csrf = /name="_csrf" value="([^"]+)"/.exec(await (await fetch(`${origin}/`, { headers: { cookie } })).text())![1]
})
afterAll(async () => {
  await web?.stop()
  await redis?.quit()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** What people might type or paste, including markup that must come back escaped. */
const typed = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom('', ' ', G1, 'a1', 'prompt1', '1', '-1', '0', '99999999999999999999', 'NaN', '2026-13-45', '2026-02-30', '2026-12-01',
    '每天 09:00', '*/2 * * * * *', '党章第七条', '../../etc/passwd', '%00', '\u0000', 'xlsx', 'csv', 'preview', 'add',
    '"><x-evil>', '<script>x-evil</script>', "'><x-evil onload=1>", '👨‍👩‍👧‍👦🇨🇳'),
  fc.string({ unit: 'grapheme', minLength: 2500, maxLength: 4000 }),
)

const gets: Array<[string, string[]]> = [
  ['/', []],
  ['/schedules', ['done', 'id']],
  ['/reflections', ['group', 'assignment', 'since', 'until', 'member', 'q', 'page']],
  ['/reflections/export', ['group', 'format', 'since', 'until', 'member', 'q']],
  ['/participation', ['group', 'reminded', 'none']],
  ['/materials', ['uploaded', 'deleted']],
  ['/answers', ['group', 'q', 'added', 'deleted']],
]
const posts: Array<[string, string[]]> = [
  ['/schedules/add', ['group', 'when', 'text', 'intent']],
  ['/participation/remind', ['group']],
  ['/materials/delete', ['doc']],
  ['/answers/teach', ['group', 'question', 'answer']],
  ['/answers/delete', ['group', 'id']],
]
// what the console answers: a page, a redirect, a refusal or a download, never an error page
// (431: Node itself refuses an address longer than its header limit, as browsers do not send)
const fine = new Set([200, 303, 400, 403, 404, 413, 431])

function check(status: number, body: string, what: string) {
  const shown = what.slice(0, 300)
  expect(fine.has(status), `${shown} answered ${status}`).toBe(true)
  expect(/<x-evil|<script>x-evil/.test(body), `${shown} shows typed markup unescaped`).toBe(false)
}

describe('the console under odd input', () => {
  it('answers every page, filter and form with a page, a redirect or a refusal, with what was typed escaped', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...gets, ...posts), fc.array(typed, { minLength: 7, maxLength: 7 }), typed, fc.boolean(),
      async ([route, fields], values, id, isPost) => {
        const params = new URLSearchParams(fields.map((f, i): [string, string] => [f, values[i]!]))
        const post = posts.some(([r]) => r === route)
        if (post) params.set('_csrf', csrf)
        const res = post
          ? await fetch(`${origin}${route}`, { method: 'POST', body: params, headers: { cookie }, redirect: 'manual' })
          : await fetch(`${origin}${route}?${params}`, { headers: { cookie }, redirect: 'manual' })
        check(res.status, await res.text(), `${post ? 'POST' : 'GET'} ${route} ${params}`)
        // a schedule named by whatever was typed: its page and its actions
        const sid = encodeURIComponent(id)
        const verb = isPost ? (['pause', 'resume', 'delete', 'run'] as const)[id.length % 4] : undefined
        const res2 = verb
          ? await fetch(`${origin}/schedules/${sid}/${verb}`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf }), headers: { cookie }, redirect: 'manual' })
          : await fetch(`${origin}/schedules/${sid}`, { headers: { cookie }, redirect: 'manual' })
        check(res2.status, await res2.text(), `${verb ?? 'GET'} /schedules/${sid}`)
      },
    ), { numRuns: 150 })
    // nothing failed inside a request either (the console's one catch site logs at error level)
    expect(logs.filter((l) => l.msg === 'console request failed')).toEqual([])
  })

  it('shows markup typed into any field or filter as text', async () => {
    const evil = ['"><x-evil>', '<script>x-evil</script>', "'><x-evil onload=1>"]
    const plausible: Record<string, string> = { group: G1, format: 'csv', intent: 'preview', when: '每天 09:00', text: '学习', id: '1' }
    for (const [route, fields] of [...gets, ...posts]) {
      const post = posts.some(([r]) => r === route)
      for (const field of fields) {
        for (const value of evil) {
          const params = new URLSearchParams(fields.map((f): [string, string] => [f, f === field ? value : plausible[f] ?? '']))
          if (post) params.set('_csrf', csrf)
          const res = post
            ? await fetch(`${origin}${route}`, { method: 'POST', body: params, headers: { cookie }, redirect: 'manual' })
            : await fetch(`${origin}${route}?${params}`, { headers: { cookie }, redirect: 'manual' })
          check(res.status, await res.text(), `${post ? 'POST' : 'GET'} ${route} ${field}=${value}`)
          // a redirect carries what was typed back into a page: follow it
          const to = res.headers.get('location')
          if (to) {
            const next = await fetch(`${origin}${to}`, { headers: { cookie }, redirect: 'manual' })
            check(next.status, await next.text(), `${to} after ${route} ${field}=${value}`)
          }
        }
      }
    }
  })
})
