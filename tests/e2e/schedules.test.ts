import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRedis, type TestRedis } from '../support/redis.ts'
import { startHarness, type Harness } from '../support/harness.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'

const G1 = '第一党支部学习群'
/** Reply text without the @-mention WeChat puts in front. */
const body = (m: { text: string } | undefined) => m?.text.replace(/^(@\S+\s)+/, '') ?? ''
const replyTo = async (h: Harness, from: string, text: string) => (await h.say(from, text, { room: G1 })).map(body).join('\n')

let dir: string
let server: TestRedis
let h: Harness

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-e2e-sched-'))
  server = await startTestRedis({ dir: path.join(dir, 'redis'), persistent: false })
  h = await startHarness({
    redisUrl: server.url,
    config: { dataDir: path.join(dir, 'data') },
    jobs: (deps, messenger) => [new Scheduler(deps, messenger)],
  })
})
afterAll(async () => {
  await h?.stop()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('#定时 in chat', () => {
  it('refuses members who are not secretaries', async () => {
    expect(await replyTo(h, '小明', '#定时 添加 每周一 09:00 大家好')).toBe('抱歉，这个操作只有书记可以使用。')
    expect(await replyTo(h, '小明', '#定时 列表')).toBe('抱歉，这个操作只有书记可以使用。')
  })

  it('answers a phrase it cannot read with examples', async () => {
    const reply = await replyTo(h, '张书记', '#定时 添加 明天 9点 开会')
    expect(reply).toContain('没看懂这个时间')
    expect(reply).toContain('#定时 添加 每周一 09:00 内容')
    expect(reply).toContain('#定时 添加 每月1日 09:00 内容')
  })

  it('answers an unknown verb, even one named like an object property, with the usage', async () => {
    for (const verb of ['开始', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(await replyTo(h, '张书记', `#定时 ${verb} c1`)).toContain('#定时 添加')
    }
  })
  it('lets a secretary add, list, preview, pause and delete a schedule', async () => {
    const added = await replyTo(h, '张书记', '#定时 添加 每周一 09:00 请大家完成本周学习')
    const id = /已添加定时任务 (c\d+)/.exec(added)?.[1]
    expect(id).toBeDefined()
    expect(added.match(/09:00（周一）/g)).toHaveLength(3)

    const list = await replyTo(h, '张书记', '#定时 列表')
    expect(list).toContain(`${id}【文字通知】`)
    expect(list).toContain('每周一 09:00')
    expect(list).toMatch(/下次：\d{4}-\d{2}-\d{2} 09:00（周一）/)

    const preview = await replyTo(h, '张书记', `#定时 预览 ${id}`)
    expect(preview).toContain('请大家完成本周学习')

    expect(await replyTo(h, '张书记', `#定时 暂停 ${id}`)).toContain(`已暂停定时任务 ${id}`)
    expect(await replyTo(h, '张书记', '#定时 列表')).toContain('〔已暂停〕')
    expect(await replyTo(h, '张书记', `#定时 删除 ${id}`)).toContain(`已删除定时任务 ${id}`)
    expect(await replyTo(h, '张书记', '#定时 列表')).not.toContain(`${id}【`)
  })

  it('refuses a chat schedule that would flood the group, and fires an added one on 立即 through the bot', async () => {
    expect(await replyTo(h, '张书记', '#定时 添加 */1 * * * * * 秒级测试')).toContain('不能少于 10 分钟')
    const added = await replyTo(h, '张书记', '#定时 添加 每天 08:00 今日学习提醒')
    const id = /已添加定时任务 (c\d+)/.exec(added)?.[1]
    await replyTo(h, '张书记', `#定时 立即 ${id}`)
    const sent = await h.waitForSent((m) => m.room === G1 && m.text === '今日学习提醒', 8000)
    expect(sent.room).toBe(G1)
    await replyTo(h, '张书记', `#定时 删除 ${id}`)
    const list = await replyTo(h, '张书记', '#定时 列表')
    expect(list).not.toContain(`${id}【`)
  })

})
