import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalRedis, type LocalRedisServer } from '../../src/store/local-redis-server.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { createManualClock } from '../../src/clock.ts'
import { createConsoleSessions } from '../../src/store/console-sessions.ts'
import { repoRoot, startHarness, type Harness } from '../support/harness.ts'
import { freePort, launchBrowser, screenshot } from '../support/browser.ts'

const G1 = '第一党支部学习群'
const body = (m: { text: string }) => m.text.replace(/^(@\S+\s)+/, '')
const essay = (seed: string) => `${seed}：学习党章，联系支部工作实际，进一步增强党员意识，做到学思用贯通、知信行统一。`

let dir: string
let shots: string
let server: LocalRedisServer
let h: Harness
let browser: Browser
let url: string
/** A second instance of the bot on the same Redis (no console), as when two run side by side. */
let other: Harness
let otherScheduler: Scheduler

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-e2e-console-'))
  shots = path.join(dir, 'screenshots')
  const materials = path.join(dir, 'materials')
  fs.cpSync(path.join(repoRoot, 'materials'), materials, { recursive: true })
  server = await startLocalRedis({ dir: path.join(dir, 'redis'), persistent: false })
  h = await startHarness({
    redisUrl: server.url,
    config: {
      dataDir: path.join(dir, 'data'),
      materials,
      minScheduleIntervalMinutes: 0,
      console: { enabled: true, host: '127.0.0.1', port: await freePort(), maxUploadMB: 1 },
      schedules: [{ id: 'prompt1', group: G1, cron: '0 9 * * 1', kind: 'reflection-prompt', text: '学习党章第一章' }],
    },
    jobs: (deps, messenger) => [new Scheduler(deps, messenger)],
  })
  // the bot serves the console itself, as `npm start` does
  url = h.app.console!.url
  // it re-reads schedules only when told (the periodic re-read is an hour away)
  other = await startHarness({
    redisUrl: server.url, keys: h.keys,
    config: { minScheduleIntervalMinutes: 0, schedules: [{ id: 'prompt1', group: G1, cron: '0 9 * * 1', kind: 'reflection-prompt', text: '学习党章第一章' }] },
    jobs: (deps, messenger) => [otherScheduler = new Scheduler(deps, messenger, { resyncMs: 3600_000 })],
  })
  browser = await launchBrowser()

  // an open assignment with two reflections, one of them trying to inject a script
  await h.say('张书记', '#定时 立即 prompt1', { room: G1 })
  await h.waitForSent((m) => m.room === G1 && m.text.startsWith('学习党章第一章'))
  expect(body((await h.say('小明', `#心得 ${essay('小明')}`, { room: G1 }))[0])).toContain('已收到小明的心得')
  expect(body((await h.say('小红', `#心得 <script>window.__xss = 1</script>${essay('小红')}`, { room: G1 }))[0])).toContain('已收到小红的心得')
})

afterAll(async () => {
  await browser?.close()
  await other?.stop()
  await h?.stop()
  await server?.stop()
  // screenshots stay for people to look at; everything else goes
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) if (entry !== 'screenshots') fs.rmSync(path.join(dir, entry), { recursive: true, force: true })
  process.stdout.write(`console screenshots: ${shots}\n`)
})

/** The login link the bot sends privately to `name` for `#后台`. */
async function askForLink(name: string): Promise<string> {
  const replies = await h.say(name, '#后台', { private: true })
  const link = /https?:\/\/\S+/.exec(replies.map((m) => m.text).join('\n'))?.[0]
  if (!link) throw new Error(`no link in ${JSON.stringify(replies)}`)
  return link
}

async function openPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  // destructive buttons ask for confirmation; the person says yes
  page.on('dialog', (d) => void d.accept())
  return { context, page }
}

/** Log in through the link as a person would: open it, press 进入后台. */
async function login(name: string): Promise<{ context: BrowserContext; page: Page; link: string }> {
  const link = await askForLink(name)
  const { context, page } = await openPage()
  await page.goto(link)
  await page.getByRole('button', { name: '进入后台' }).click()
  await page.waitForURL(`${url}/`)
  return { context, page, link }
}

const csrfOf = (page: Page) => page.locator('input[name=_csrf]').first().inputValue()

describe('web console in a real browser', () => {
  let secretary: { context: BrowserContext; page: Page; link: string }

  it('a secretary gets a link with #后台 privately, opens it and sees the 概览 chart', async () => {
    const { context, page } = await openPage()
    await page.goto(`${url}/`)
    expect(page.url()).toContain('/login')
    await expect(page.locator('main').innerText()).resolves.toContain('发送 #后台')
    await screenshot(page, shots, '00-login')
    await context.close()

    secretary = await login('张书记')
    const { page: p } = secretary
    await p.waitForSelector('canvas[data-drawn]')
    const card = p.getByRole('region', { name: G1 })
    await expect(card.innerText()).resolves.toMatch(/学习党章第一章」：\s*2 \/ \d+ 人已提交/)
    expect(await p.locator('canvas[data-drawn]').count()).toBeGreaterThan(0)
    await screenshot(p, shots, '01-overview')
  })

  it('adds 每天 09:00 with a preview of the next three times and the message; #定时 列表 shows it', async () => {
    const { page } = secretary
    await page.goto(`${url}/schedules`)
    await page.fill('#when', '每天 09:00')
    await page.fill('#text', '请大家按时完成今日学习')
    await page.getByRole('button', { name: '预览' }).click()
    await expect(page.locator('.next-times li').count()).resolves.toBe(3)
    await expect(page.locator('.next-times').innerText()).resolves.toMatch(/09:00（周.）[\s\S]*09:00（周.）[\s\S]*09:00（周.）/)
    await expect(page.locator('.preview').innerText()).resolves.toBe('请大家按时完成今日学习')
    await screenshot(page, shots, '02-schedules-preview')
    await page.getByRole('button', { name: '添加' }).click()
    await expect(page.locator('[role=status]').innerText()).resolves.toMatch(/已添加定时任务 c\d+/)
    const id = /c\d+/.exec(await page.locator('[role=status]').innerText())![0]
    await expect(page.locator('.audit').innerText()).resolves.toContain(`张书记：添加定时任务 ${id}（每天 09:00）`)

    const list = (await h.say('张书记', '#定时 列表', { room: G1 })).map(body).join('\n')
    expect(list).toContain(`${id}【文字通知】`)
    expect(list).toContain('每天 09:00')
    await screenshot(page, shots, '03-schedules')
  })

  it('answers bad input next to the field, in Chinese', async () => {
    const { page } = secretary
    await page.goto(`${url}/schedules`)
    await page.fill('#when', '明天 9点')
    await page.fill('#text', '')
    await page.getByRole('button', { name: '添加' }).click()
    await expect(page.locator('#when-error').innerText()).resolves.toContain('没看懂这个时间')
    await expect(page.locator('#text-error').innerText()).resolves.toContain('请填写要发送的内容')
    await expect(page.locator('#when').inputValue()).resolves.toBe('明天 9点')
  })

  it('a */2 seconds schedule added in the console is broadcast in the group, then deleted', async () => {
    const { page } = secretary
    await page.goto(`${url}/schedules`)
    await page.fill('#when', '*/2 * * * * *')
    await page.fill('#text', '两秒一次的测试广播')
    await page.getByRole('button', { name: '添加' }).click()
    const id = /c\d+/.exec(await page.locator('[role=status]').innerText())![0]
    // the console told every scheduler through Redis, as a chat change does
    const sent = await h.waitForSent((m) => m.room === G1 && m.text === '两秒一次的测试广播', 30000)
    expect(sent.room).toBe(G1)
    await page.locator(`tr[data-id="${id}"]`).getByRole('button', { name: '删除' }).click()
    await expect(page.locator('[role=status]').innerText()).resolves.toContain(`已删除定时任务 ${id}`)
    expect(await page.locator(`tr[data-id="${id}"]`).count()).toBe(0)
    await page.goto(`${url}/schedules/prompt1`)
    await expect(page.locator('table.history').innerText()).resolves.toContain('已发送')
    await screenshot(page, shots, '04-schedule-history')
  })

  it('pause, resume, add, run now and delete in the console; changes reach another running instance at once', async () => {
    const { page } = secretary
    const active = () => otherScheduler.activeIds()
    await expect.poll(active, { timeout: 20000 }).toContain('prompt1')
    await page.goto(`${url}/schedules`)
    await page.locator('tr[data-id="prompt1"]').getByRole('button', { name: '暂停' }).click()
    await expect(page.locator('[role=status]').innerText()).resolves.toContain('已暂停定时任务 prompt1')
    await expect.poll(active, { timeout: 20000 }).not.toContain('prompt1')
    await page.locator('tr[data-id="prompt1"]').getByRole('button', { name: '恢复' }).click()
    await expect(page.locator('[role=status]').innerText()).resolves.toContain('已恢复定时任务 prompt1')
    await expect.poll(active, { timeout: 20000 }).toContain('prompt1')

    await page.fill('#when', '每周五 18:00')
    await page.fill('#text', '本周学习小结')
    await page.getByRole('button', { name: '添加' }).click()
    const id = /c\d+/.exec(await page.locator('[role=status]').innerText())![0]
    await expect.poll(active, { timeout: 20000 }).toContain(id)
    expect((await other.say('张书记', '#定时 列表', { room: G1 })).map(body).join('\n')).toContain(`${id}【文字通知】`)
    // 立即执行 sends it now, and the firing history shows it as a manual run
    await page.locator(`tr[data-id="${id}"]`).getByRole('button', { name: '立即执行' }).click()
    await expect(page.locator('[role=status]').innerText()).resolves.toContain(`已执行定时任务 ${id}`)
    await h.waitForSent((m) => m.room === G1 && m.text === '本周学习小结')
    await page.goto(`${url}/schedules/${id}`)
    await expect(page.locator('table.history').innerText()).resolves.toMatch(/已发送到 .*（手动）/)
    await page.goto(`${url}/schedules`)
    await page.locator(`tr[data-id="${id}"]`).getByRole('button', { name: '删除' }).click()
    await expect.poll(active, { timeout: 20000 }).not.toContain(id)
    await expect(page.locator('.audit').innerText()).resolves.toContain('张书记：暂停定时任务 prompt1')
  })

  it('shows the member × assignment grid and sends the same reminder as #提醒', async () => {
    const { page } = secretary
    await page.goto(`${url}/participation`)
    const row = (name: string) => page.locator('table.grid tbody tr', { has: page.locator(`th:text-is("${name}")`) })
    await expect(row('小明').locator('td.yes').count()).resolves.toBe(1)
    await expect(row('张书记').locator('td.no').count()).resolves.toBe(1)
    await screenshot(page, shots, '05-participation')
    await page.getByRole('button', { name: '提醒未提交的人' }).click()
    await expect(page.locator('[role=status]').innerText()).resolves.toMatch(/已在群里提醒 \d+ 位/)
    const reminder = await h.waitForSent((m) => m.room === G1 && m.text.includes('的心得还未提交'))
    expect(reminder.mentions).toContain('张书记')
    expect(reminder.mentions).not.toContain('小明')
    await expect(page.locator('.audit').innerText()).resolves.toContain('张书记：提醒「学习党章第一章」未提交的')
  })

  it('an organizer filters reflections, sees <script> as text and downloads an xlsx that reads back', async () => {
    const { page } = await login('李委员')
    await page.goto(`${url}/reflections`)
    await expect(page.locator('.total').innerText()).resolves.toBe('2')
    const script = page.locator('td.text', { hasText: '<script>' })
    await expect(script.innerText()).resolves.toContain('<script>window.__xss = 1</script>')
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined()
    await screenshot(page, shots, '06-reflections')

    await page.fill('input[name=member]', '小明')
    await page.getByRole('button', { name: '筛选' }).click()
    await expect(page.locator('.total').innerText()).resolves.toBe('1')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel（.xlsx）' }).click()])
    const file = path.join(dir, 'download.xlsx')
    await download.saveAs(file)
    expect(download.suggestedFilename()).toMatch(/^心得汇总-第一党支部学习群-.*\.xlsx$/)
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(file)
    const cells = book.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String))
    expect(cells.some((v) => v.includes(essay('小明')))).toBe(true)
    expect(cells.some((v) => v.includes('window.__xss'))).toBe(false)
  })

  it('lists materials, refuses a file whose content is not what its name says, and takes a real one', async () => {
    const { page } = secretary
    await page.goto(`${url}/materials`)
    await expect(page.locator('table.documents').innerText()).resolves.toContain('党章.md')
    await page.setInputFiles('#file', { name: '假的.pdf', mimeType: 'application/pdf', buffer: Buffer.from('这其实是一段文字，不是 PDF。') })
    await page.getByRole('button', { name: '上传' }).click()
    await expect(page.locator('#file-error').innerText()).resolves.toContain('文件内容与扩展名不符')
    await page.setInputFiles('#file', { name: '太大.txt', mimeType: 'text/plain', buffer: Buffer.alloc(1536 * 1024, 'a') })
    await page.getByRole('button', { name: '上传' }).click()
    await expect(page.locator('#file-error').innerText()).resolves.toContain('文件太大')

    const text = '# 廉洁自律准则\n\n第一条 党员干部必须坚持公私分明，先公后私，克己奉公。\n\n第二条 坚持崇廉拒腐，清白做人，干净做事。\n'
    await page.setInputFiles('#file', { name: '廉洁自律准则.md', mimeType: 'text/markdown', buffer: Buffer.from(text) })
    await page.getByRole('button', { name: '上传' }).click()
    await expect(page.locator('[role=status]').innerText()).resolves.toContain('已上传“廉洁自律准则.md”')
    // the folder watcher picks the file up, as with a file copied there by hand
    await expect.poll(async () => { await page.reload(); return page.locator('tr[data-doc="廉洁自律准则.md"]').count() }, { timeout: 20000 }).toBe(1)
    await expect(page.locator('.audit').innerText()).resolves.toContain('张书记：上传“廉洁自律准则.md”')
    await screenshot(page, shots, '07-materials')
    await page.locator('tr[data-doc="廉洁自律准则.md"]').getByRole('button', { name: '删除' }).click()
    await expect(page.locator('[role=status]').innerText()).resolves.toContain('已删除')
    expect(fs.existsSync(path.join(dir, 'materials', '廉洁自律准则.md'))).toBe(false)
  })

  it('问答 lists questions with their outcome and citation, the unanswered ones, and teaches an answer the bot then uses', async () => {
    const answered = (await h.say('小刚', '预备党员的预备期是多久？', { room: G1, mention: true })).map(body).join('\n')
    expect(answered).toContain('《中国共产党章程》')
    expect((await h.say('小周', '支部活动室在哪里？', { room: G1, mention: true })).map(body).join('\n')).not.toContain('办公楼')
    await h.say('小李', '<script>window.__xss = 2</script>党费怎么交？', { room: G1, mention: true })

    const { page } = secretary
    await page.goto(`${url}/`)
    await expect(page.getByRole('region', { name: G1 }).locator('.question-summary').innerText()).resolves.toMatch(/近 14 天提问 3 个，回答了 \d+%/)
    await page.goto(`${url}/answers`)
    const recent = page.locator('table.questions tbody tr')
    await expect(recent.count()).resolves.toBe(3)
    const row = (q: string) => page.locator('table.questions tbody tr', { hasText: q })
    await expect(row('预备期').innerText()).resolves.toMatch(/小刚[\s\S]*已回答[\s\S]*《中国共产党章程》/)
    await expect(row('支部活动室').innerText()).resolves.toContain('未答上')
    await expect(row('<script>').locator('td.text').first().innerText()).resolves.toBe('<script>window.__xss = 2</script>党费怎么交？')
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined()
    await expect(page.locator('table.unanswered').innerText()).resolves.toContain('支部活动室在哪里？')

    // bad input stays in the form with the reason next to the field
    await page.locator('table.unanswered tr', { hasText: '支部活动室' }).getByRole('link', { name: '教它回答' }).click()
    await expect(page.locator('#question').inputValue()).resolves.toBe('支部活动室在哪里？')
    await page.fill('#answer', '党章第九十九条')
    await page.getByRole('button', { name: '添加' }).click()
    await expect(page.locator('#answer-error').innerText()).resolves.toContain('没有找到')
    await expect(page.locator('#question').inputValue()).resolves.toBe('支部活动室在哪里？')
    await page.fill('#question', '')
    await page.fill('#answer', '')
    await page.getByRole('button', { name: '添加' }).click()
    await expect(page.locator('#question-error').innerText()).resolves.toBe('请填写问题')
    await expect(page.locator('#answer-error').innerText()).resolves.toContain('请填写答案')

    await page.fill('#question', '支部活动室在哪里？')
    await page.fill('#answer', '办公楼三楼 302 室，钥匙在党小组长处。')
    await page.getByRole('button', { name: '添加' }).click()
    await expect(page.locator('[role=status]').innerText()).resolves.toMatch(/已添加第 \d+ 条问答/)
    await expect(page.locator('table.taught').innerText()).resolves.toContain('办公楼三楼 302 室')
    await expect(page.locator('.audit').innerText()).resolves.toMatch(/张书记：添加第 \d+ 条问答：支部活动室在哪里？/)
    await screenshot(page, shots, '08-answers')
    const reply = (await h.say('小周', '请问支部活动室在哪里啊？', { room: G1, mention: true })).map(body).join('\n')
    expect(reply).toContain('办公楼三楼 302 室')
    expect(reply).toContain('支部书记 张书记')
    expect((await h.say('张书记', '#教 列表', { room: G1 })).map(body).join('\n')).toContain('支部活动室在哪里？')

    // an organizer sees the page but cannot teach or delete
    const organizer = await login('李委员')
    await organizer.page.goto(`${url}/answers`)
    await expect(organizer.page.locator('table.taught').innerText()).resolves.toContain('办公楼三楼 302 室')
    expect(await organizer.page.locator('#teach').count()).toBe(0)
    const csrf = await csrfOf(organizer.page)
    const id = await page.locator('table.taught tbody tr').first().getAttribute('data-id')
    const teach = await organizer.page.request.post(`${url}/answers/teach`, { form: { _csrf: csrf, group: G1, question: '越权', answer: '越权的答案' }, maxRedirects: 0 })
    expect(teach.status()).toBe(403)
    const del = await organizer.page.request.post(`${url}/answers/delete`, { form: { _csrf: csrf, group: G1, id: id! }, maxRedirects: 0 })
    expect(del.status()).toBe(403)
    await organizer.context.close()

    await page.locator(`table.taught tr[data-id="${id}"]`).getByRole('button', { name: '删除' }).click()
    await expect(page.locator('[role=status]').innerText()).resolves.toContain(`已删除第 ${id} 条问答`)
    expect(await page.locator(`table.taught tr[data-id="${id}"]`).count()).toBe(0)
    expect((await h.say('小周', '支部活动室在哪里？', { room: G1, mention: true })).map(body).join('\n')).not.toContain('办公楼三楼')
  })

  it('refuses a used link, an expired link, a forged cookie and an organizer calling a secretary action', async () => {
    // a member who got hold of the secretary's link after it was used
    expect(body((await h.say('小明', '#后台', { private: true }))[0])).toBe('抱歉，网页后台只对书记和组织委员开放。')
    const member = await openPage()
    await member.page.goto(secretary.link)
    await expect(member.page.locator('[role=alert]').innerText()).resolves.toContain('链接只能使用一次')
    expect(await member.page.getByRole('button', { name: '进入后台' }).count()).toBe(0)
    const token = new URL(secretary.link).searchParams.get('t')!
    const replay = await member.page.request.post(`${url}/login`, { form: { t: token }, maxRedirects: 0 })
    expect(replay.status()).toBe(400)
    expect(await member.context.cookies()).toEqual([])

    // a link issued eleven minutes ago
    const past = createManualClock(Date.now() - 11 * 60_000)
    const stale = await createConsoleSessions(h.redis, h.keys, past).issueLink({ who: { id: 'wxid_zhangshuji', name: '张书记' }, roles: { [G1]: ['secretary'] }, via: 'cli' })
    await member.page.goto(`${url}/login?t=${stale}`)
    await expect(member.page.locator('[role=alert]').innerText()).resolves.toContain('10 分钟内有效')
    expect((await member.page.request.post(`${url}/login`, { form: { t: stale }, maxRedirects: 0 })).status()).toBe(400)

    // a cookie nobody issued
    await member.context.addCookies([{ name: 'studybot_console', value: 'A'.repeat(43), url }])
    await member.page.goto(`${url}/schedules`)
    expect(member.page.url()).toContain('/login?expired=1')
    await expect(member.page.locator('[role=alert]').innerText()).resolves.toContain('登录已过期或无效')
    await member.context.close()

    // an organizer's session asking for secretaries' actions
    const organizer = await login('李委员')
    const csrf = await csrfOf(organizer.page)
    const add = await organizer.page.request.post(`${url}/schedules/add`, { form: { _csrf: csrf, group: G1, when: '每天 10:00', text: '越权添加', intent: 'add' }, maxRedirects: 0 })
    expect(add.status()).toBe(403)
    expect(await add.text()).toContain('只有书记可以使用')
    const remind = await organizer.page.request.post(`${url}/participation/remind`, { form: { _csrf: csrf, group: G1 }, maxRedirects: 0 })
    expect(remind.status()).toBe(403)
    const pause = await organizer.page.request.post(`${url}/schedules/prompt1/pause`, { form: { _csrf: csrf }, maxRedirects: 0 })
    expect(pause.status()).toBe(403)
    expect((await organizer.page.request.get(`${url}/schedules`)).status()).toBe(403)
    expect((await h.say('张书记', '#定时 列表', { room: G1 })).map(body).join('\n')).not.toContain('越权添加')

    // a form without its CSRF token does nothing, even with a valid session
    const forged = await secretary.page.request.post(`${url}/schedules/prompt1/pause`, { form: {}, maxRedirects: 0 })
    expect(forged.status()).toBe(403)
    expect(await forged.text()).toContain('页面已过期或来源不明')
    expect((await h.say('张书记', '#定时 列表', { room: G1 })).map(body).join('\n')).not.toContain('〔已暂停〕')
    await organizer.context.close()
  })

  it('logging out ends the session everywhere', async () => {
    const { page, context } = secretary
    const [cookie] = await context.cookies()
    expect(cookie).toMatchObject({ name: 'studybot_console', httpOnly: true, sameSite: 'Strict' })
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.waitForURL(/\/login\?bye=1/)
    const other = await openPage()
    await other.context.addCookies([{ name: cookie.name, value: cookie.value, url }])
    await other.page.goto(`${url}/`)
    expect(other.page.url()).toContain('/login?expired=1')
    await other.context.close()
    await context.close()
  })
})
