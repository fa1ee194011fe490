import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { createManualClock } from '../../src/clock.ts'
import { startTestRedis } from '../support/redis.ts'
import { repoRoot, startHarness, type Harness } from '../support/harness.ts'
import { createAnswerMarks } from '../../src/store/answer-marks.ts'
import { createQuestionLog } from '../../src/store/question-log.ts'

let server: Awaited<ReturnType<typeof startTestRedis>>
let h: Harness
let faq: Harness
const faqDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-faq-e2e-'))
// 2026-12-02 10:00 in Beijing
const clock = createManualClock(Date.UTC(2026, 11, 2, 2))

beforeAll(async () => {
  server = await startTestRedis()
  h = await startHarness({ redisUrl: server.url, clock })
  fs.copyFileSync(path.join(repoRoot, 'materials', '支部学习须知.md'), path.join(faqDir, '支部学习须知.md'))
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('常见问题')
  sheet.addRow(['问题', '答案', '出处'])
  sheet.addRow(['入党积极分子要培养多久？', '一般要经过一年以上的培养教育和考察。', '《发展党员工作细则》第十一条'])
  sheet.addRow(['支部的党小组长是谁？', '第一党小组组长为李委员。', ''])
  await book.xlsx.writeFile(path.join(faqDir, '常见问题.xlsx'))
  faq = await startHarness({ redisUrl: server.url, clock, config: { materials: faqDir } })
})
afterAll(async () => {
  await h?.stop()
  await faq?.stop()
  fs.rmSync(faqDir, { recursive: true, force: true })
  await server?.stop()
})

describe('secretaries teach the bot', () => {
  it('answers a reworded question from what a secretary taught, naming who added it and when', async () => {
    const [before] = await h.say('小明', '支部活动室在哪里？', { mention: true })
    expect(before.text).toContain('没有找到')
    const [ack] = await h.say('张书记', '#教 支部活动室在哪？ => 办公楼三楼 302 室，钥匙在党小组长处。')
    expect(ack.text).toContain('已记下第 1 条')
    const [reply] = await h.say('小明', '请问咱们支部活动室在哪里啊？', { mention: true })
    expect(reply.text).toContain('办公楼三楼 302 室')
    expect(reply.text).toContain('（支部书记 张书记 于 2026-12-02 添加）')
    // the other group was not taught it
    const [other] = await h.say('小周', '支部活动室在哪？', { mention: true, room: '第二党支部学习群' })
    expect(other.text).not.toContain('302')
  })

  it('answers with an article of the materials and its citation when taught 第X条', async () => {
    const [ack] = await h.say('张书记', '#教 考察期要多久 => 党章第七条')
    expect(ack.text).toContain('——《中国共产党章程》第一章 党员 第七条')
    const [reply] = await h.say('小红', '考察期要多久？', { mention: true })
    expect(reply.text).toContain('预备党员的预备期为一年')
    expect(reply.text).toContain('——《中国共产党章程》第一章 党员 第七条')
    const [missing] = await h.say('张书记', '#教 党员怎么退党 => 党章第九十九条')
    expect(missing.text).toContain('没有找到')
  })

  it('cites the passage a taught answer is copied from, and replaces the answer when the same question is taught again', async () => {
    const [ack] = await h.say('张书记', '#教 党费交给谁？ => 一般在每月十五日前交给党小组长')
    expect(ack.text).toContain('——《支部学习须知》三、党费交纳')
    const [again] = await h.say('张书记', '#教 党费交给谁 => 交给党小组长，由党小组长统一交到支部。')
    expect(again.text).toMatch(/已更新第 (\d+) 条/)
    const [reply] = await h.say('小红', '党费交给谁？', { mention: true })
    expect(reply.text).toContain('由党小组长统一交到支部')
    expect(reply.text).toContain('——《支部学习须知》三、党费交纳')
    const [del] = await h.say('张书记', `#教 删除 ${/已更新第 (\d+) 条/.exec(again.text)![1]}`)
    expect(del.text).toContain('已删除')
  })

  it('refuses #教 from a member and stores nothing', async () => {
    const [refused] = await h.say('小明', '#教 党费交多少 => 不用交')
    expect(refused.text).toContain('只有书记')
    const [list] = await h.say('张书记', '#教 列表')
    expect(list.text).not.toContain('不用交')
    const [reply] = await h.say('小红', '党费交多少？', { mention: true })
    expect(reply.text).not.toContain('不用交')
  })

  it('lists and deletes taught entries', async () => {
    const [list] = await h.say('张书记', '#教 列表')
    expect(list.text).toMatch(/1\. 支部活动室在哪？ => 办公楼三楼/)
    expect(list.text).toMatch(/2\. 考察期要多久 => /)
    const [deleted] = await h.say('张书记', '#教 删除 1')
    expect(deleted.text).toContain('已删除第 1 条')
    const [again] = await h.say('张书记', '#教 删除 1')
    expect(again.text).toContain('没有第 1 条')
    const [reply] = await h.say('小明', '支部活动室在哪？', { mention: true })
    expect(reply.text).not.toContain('302')
  })

  it('takes #教 privately for the secretary’s group, and answers there', async () => {
    const [ack] = await h.say('张书记', '#教 学习笔记交给谁 => 交给党小组长，由党小组长每季度检查一次。', { private: true })
    expect(ack).toMatchObject({ room: null, to: '张书记' })
    expect(ack.text).toContain('已记下第')
    const [reply] = await h.say('小明', '学习笔记要交给谁？', { mention: true })
    expect(reply.room).toBe('第一党支部学习群')
    expect(reply.text).toContain('由党小组长每季度检查一次')
    const [list] = await h.say('张书记', '#未答问题', { private: true })
    expect(list.to).toBe('张书记')
  })

  it('explains the command when the arrow or a side is missing', async () => {
    const [noArrow] = await h.say('张书记', '#教 党费交多少')
    expect(noArrow.text).toContain('#教 问题 => 答案')
    const [noAnswer] = await h.say('张书记', '#教 党费交多少 =>')
    expect(noAnswer.text).toContain('“=>”后面请写上答案')
  })

  it('shows #教 in the secretaries’ help only', async () => {
    const [secretary] = await h.say('张书记', '#帮助')
    expect(secretary.text).toContain('#教 问题 => 答案')
    const [member] = await h.say('小明', '#帮助')
    expect(member.text).not.toContain('#教')
  })
})

describe('questions the bot could not answer well', () => {
  it('records "不对" after an answer, and #未答问题 lists it with refused questions and their counts', async () => {
    const [answer] = await h.say('小刚', '预备党员的预备期是多久？', { mention: true })
    expect(answer.text).toContain('一年')
    const [ack] = await h.say('小刚', '「学习助手：第七条 预备党员的预备期为一年……」\n- - - - - - - - - - - - - - -\n不对', { mention: true })
    expect(ack.text).toContain('已记下“预备党员的预备期是多久？”没有答好')
    await h.say('小明', '党员活动经费怎么报销？', { mention: true })
    const [already] = await h.say('小明', '没答上', { mention: true })
    expect(already.text).toContain('“党员活动经费怎么报销？”已记入未答问题')
    await h.say('小红', '党员活动经费怎么报销', { mention: true })

    const [list] = await h.say('张书记', '#未答问题')
    expect(list.text).toMatch(/党员活动经费怎么报销.*未答上 2 次/)
    expect(list.text).toMatch(/预备党员的预备期是多久？.*被指出不对 1 次/)
    expect(list.text).toContain('#教 问题 => 答案')
    const [refused] = await h.say('小明', '#未答问题')
    expect(refused.text).toContain('只有书记')
    // the other group's list is its own
    const [other] = await h.say('王书记', '#未答问题', { room: '第二党支部学习群' })
    expect(other.text).toMatch(/支部活动室在哪？（未答上 1 次/)
    expect(other.text).not.toContain('党员活动经费')
  })

  it('says so when "不对" follows no recent answer', async () => {
    clock.advance(60 * 60_000)
    const [reply] = await h.say('小刚', '答非所问', { mention: true })
    expect(reply.text).toContain('没有找到我最近回答你的问题')
  })

  it('shows answers rated inaccurate in WeCom in the same list', async () => {
    await createAnswerMarks(h.redis, h.keys, clock).mark('第一党支部学习群', {
      messageId: 'wecom-msg-1', memberId: 'zhangsan', question: '入党积极分子要培养多久？', answer: '……', via: 'wecom-feedback',
    })
    const [list] = await h.say('张书记', '#未答问题')
    expect(list.text).toMatch(/1\. 入党积极分子要培养多久？（被指出不对 1 次/)
  })

  it('logs every question with its outcome and citation for the console', async () => {
    const log = createQuestionLog(h.redis, h.keys, clock)
    const recent = await log.recent('第一党支部学习群', 200)
    const asked = recent.find((q) => q.question === '预备党员的预备期是多久？')!
    // 考察期 = 预备期 in the thesaurus: the entry taught for 考察期要多久 (党章第七条) answers it too
    expect(asked).toMatchObject({ answered: true, citation: expect.stringContaining('第七条') })
    expect(recent.find((q) => q.question === '党费交多少？')).toMatchObject({ answered: true, source: 'materials' })
    expect(recent.find((q) => q.question === '考察期要多久？')).toMatchObject({ answered: true, source: 'taught' })
    expect(recent.find((q) => q.question === '党员活动经费怎么报销？')).toMatchObject({ answered: false, source: 'none' })
  })
})

describe('a FAQ file in the materials folder', () => {
  it('answers a reworded question from 常见问题.xlsx with its source, or the file when no source is given', async () => {
    const [cited] = await faq.say('小明', '请问入党积极分子一般要培养多久啊？', { mention: true })
    expect(cited.text).toContain('一般要经过一年以上的培养教育和考察。')
    expect(cited.text).toContain('——《发展党员工作细则》第十一条')
    const [plain] = await faq.say('小红', '支部的党小组长是谁', { private: true })
    expect(plain.text).toContain('第一党小组组长为李委员。')
    expect(plain.text).toContain('（常见问题：常见问题.xlsx）')
    // other questions still come from the passages
    const [passage] = await faq.say('小刚', '党费一般在每月几号前交？', { mention: true })
    expect(passage.text).toContain('十五日前')
    expect(passage.text).toContain('——《支部学习须知》三、党费交纳')
  })
})
