import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Document, Packer, Paragraph } from 'docx'
import { startTestRedis } from '../support/redis.ts'
import { repoRoot, startHarness, type Harness } from '../support/harness.ts'

const shared = path.resolve(repoRoot, '..', 'shared', 'materials')
let server: Awaited<ReturnType<typeof startTestRedis>>
let h: Harness
let files: Harness
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-ask-'))

beforeAll(async () => {
  server = await startTestRedis()
  h = await startHarness({
    redisUrl: server.url,
    config: {
      materials: shared,
      ask: { perMemberPerMinute: 3, answerChars: 300 },
      groups: [
        { topic: '第一党支部学习群', secretaries: [{ id: 'wxid_zhangshuji', name: '张书记' }], organizers: [{ id: 'wxid_liweiyuan', name: '李委员' }] },
        { topic: '第二党支部学习群', materials: ['zhongyang_yihao_wenjian_2025.txt'] },
      ],
    },
  })
  const doc = new Document({ sections: [{ children: ['支部工作制度', '一、主题党日', '每月十日为主题党日，支部组织党员参加志愿服务活动。'].map((text) => new Paragraph({ text })) }] })
  fs.writeFileSync(path.join(dir, '支部工作制度.docx'), await Packer.toBuffer(doc))
  fs.writeFileSync(path.join(dir, '损坏.docx'), 'not a zip file')
  files = await startHarness({ redisUrl: server.url, config: { materials: dir } })
})
afterAll(async () => {
  await h?.stop()
  await files?.stop()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('answers from the study materials in chat', () => {
  it('answers a natural question with the answer and its article', async () => {
    const [reply] = await h.say('小明', '预备党员的预备期是多久？', { mention: true })
    expect(reply.room).toBe('第一党支部学习群')
    expect(reply.text).toContain('一年')
    expect(reply.text).toContain('第七条')
    expect(reply.text).toMatch(/——《中国共产党章程[^》]*》/)
  })

  it('answers a pasted quiz question with blanks and lettered options', async () => {
    const [blank] = await h.say('小红', '党的最高理想和最终目标是实现（  ）。A.社会主义 B.共产主义 C.小康社会', { mention: true })
    expect(blank.text).toContain('共产主义')
    expect(blank.text).toContain('中国共产党章程')
    const [fill] = await h.say('小刚', '坚持____在我国现代化建设全局中的核心地位。', { mention: true })
    expect(fill.text).toContain('坚持创新在我国现代化建设全局中的核心地位')
  })

  it('says honestly when the materials do not cover a question', async () => {
    const [reply] = await h.say('小李', '北京冬奥会一共获得了多少枚金牌？', { mention: true })
    expect(reply.text).toContain('没有找到')
    expect(reply.text).not.toContain('——《')
  })

  it('answers privately, and gives the full article when asked for 原文', async () => {
    const [short] = await h.say('小明', '党员享有哪些权利', { private: true })
    const [full] = await h.say('小明', '党员享有哪些权利 原文', { private: true })
    expect(short).toMatchObject({ room: null, to: '小明' })
    expect(full.text.length).toBeGreaterThan(short.text.length)
    expect(full.text).toContain('第四条')
  })

  it('answers a colloquial question with the answering sentence, its citation, and the whole article on 原文', async () => {
    const [short] = await h.say('小新', '想问下，连续几个月不参加组织生活就算自动脱党了？', { mention: true })
    const [body, citation, hint] = short.text.split('\n')
    expect(body).toContain('连续六个月不参加党的组织生活')
    expect(body!.length).toBeLessThanOrEqual(150)
    expect(citation).toBe('——《中国共产党章程》第一章 党员 第九条')
    expect(hint).toBe('回复“原文”可看完整条文')
    const [full] = await h.say('小新', '原文', { mention: true })
    expect(full.text).toContain('第九条 党员有退党的自由。')
    expect(full.text).toContain('就被认为是自行脱党')
    expect(full.text).toMatch(/——《中国共产党章程》第一章 党员 第九条$/)
    expect(full.text).not.toContain('回复“原文”')
    // another member's 原文 refers to nothing they were answered
    const [none] = await h.say('小旧', '原文', { mention: true })
    expect(none.text).toContain('请先提问')
  })

  it('answers with the whole article when the article itself is the answer', async () => {
    const [reply] = await h.say('小青', '我今年17岁，能不能申请加入党组织？', { mention: true })
    expect(reply.text).toContain('第一条 年满十八岁的中国工人')
    expect(reply.text).toContain('——《中国共产党章程》第一章 党员 第一条')
  })

  it('answers a question naming the 2024 government work report from that report, not the 2023 one', async () => {
    const [reply] = await h.say('小政', '2024年政府工作报告里，今年城镇新增就业的预期目标是多少人？', { mention: true })
    expect(reply.text).toContain('1200万人以上')
    expect(reply.text).toContain('——《李强作的政府工作报告（摘登）》')
    expect(reply.text).not.toContain('2023年国务院政府工作报告')
  })

  it('refuses a colloquial question no material answers', async () => {
    const [reply] = await h.say('小问', '请问咱们支部每季度的党员活动经费能报销多少钱啊？', { mention: true })
    expect(reply.text).toContain('没有找到')
    expect(reply.text).not.toContain('——《')
  })

  it('answers a group only from its own materials', async () => {
    const [reply] = await h.say('小周', '预备党员的预备期是多久？', { mention: true, room: '第二党支部学习群' })
    expect(reply.text).not.toContain('第七条')
  })

  it('slows down a member who asks too often, politely', async () => {
    const replies = []
    for (let i = 0; i < 4; i++) replies.push(...await h.say('小快', `党费${i}`, { mention: true }))
    expect(replies.at(-1)!.text).toMatch(/频繁|稍等/)
  })

  it('answers from a Word file and skips a corrupt one with a message naming it', async () => {
    const [reply] = await files.say('小明', '主题党日是哪一天？', { mention: true })
    expect(reply.text).toContain('每月十日为主题党日')
    expect(reply.text).toContain('——《支部工作制度》')
    expect(files.logs.some((l) => l.msg === 'material skipped' && l.doc === '损坏.docx')).toBe(true)
  })
})
