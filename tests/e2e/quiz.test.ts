import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalRedis, type LocalRedisServer } from '../../src/store/local-redis-server.ts'
import { createManualClock } from '../../src/clock.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { QuizCloser } from '../../src/jobs/quiz-closer.ts'
import { answerForm } from '../../src/quiz/answer-form.ts'
import { startHarness, type Harness } from '../support/harness.ts'

const G1 = '第一党支部学习群'
/** Reply text without the @-mention WeChat puts in front. */
const body = (m: { text: string } | undefined) => m?.text.replace(/^(@\S+\s)+/, '') ?? ''

let dir: string
let server: LocalRedisServer
let h: Harness
let closer: QuizCloser
// a fake clock near real time (messages older than maxMessageAgeSeconds would be ignored)
const clock = createManualClock(Date.now())

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-e2e-quiz-'))
  server = await startLocalRedis({ dir: path.join(dir, 'redis'), persistent: false })
  h = await startHarness({
    redisUrl: server.url,
    clock,
    config: {
      dataDir: path.join(dir, 'data'),
      bot: { name: '学习助手', sendIntervalMs: 0, maxMessageAgeSeconds: 7 * 86_400 },
      // Feb 29 only: real time never reaches the slot; the test fires it with #定时 立即
      schedules: [{ id: 'daily', group: G1, cron: '0 9 29 2 *', kind: 'quiz', due: '2h' }],
    },
    jobs: (deps, messenger) => {
      // polled by hand below, so the test decides when the deadline has passed
      closer = new QuizCloser(deps, messenger, 3_600_000)
      return [new Scheduler(deps, messenger), closer]
    },
  })
})
afterAll(async () => {
  await h?.stop()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** What the bot told `who` privately in reply to `text` said in the group. */
async function privately(who: string, text: string): Promise<string> {
  const replies = await h.say(who, text, { room: G1 })
  return replies.filter((m) => m.room === null && m.to === who).map(body).join('\n')
}

describe('每日一题 through the real bot', () => {
  it('refuses #出题 to a member, and shows a secretary the next question privately', async () => {
    const [refusal] = await h.say('小明', '#出题 预览', { room: G1 })
    expect(body(refusal)).toBe('抱歉，这个操作只有书记可以使用。')
    const preview = await privately('张书记', '#出题 预览')
    expect(preview).toMatch(/下一道题（编号 g[0-9a-f]+，由学习材料生成）/)
    expect(preview).toMatch(/答案：/)
    expect(preview).toMatch(/出处：《/)
  })

  it('posts a round, takes answers (one right, one wrong, one changed), closes with the answer, citation and count, and keeps points', async () => {
    const preview = await privately('张书记', '#出题 预览')
    const answerLine = /答案：(.+)/.exec(preview)![1]!
    const letter = /^([A-D])\. /.exec(answerLine)?.[1]
    const right = letter ?? answerLine
    const wrong = letter ? (letter === 'A' ? 'B' : 'A') : '不知道'
    // the same answer as a member would type it: half width, lower case, digits for numerals
    const typedRight = letter ? letter.toLowerCase() : answerForm(answerLine)
    const citation = /出处：(.+)/.exec(preview)![1]!
    const stem = preview.split('\n')[1]!.replace(/^（.+?）/, '')

    await h.say('张书记', '#定时 立即 daily', { room: G1 })
    const post = await h.waitForSent((m) => m.room === G1 && m.text.includes('【每日一题】'))
    expect(post.text).toContain(stem)

    expect(await privately('小明', `#答 ${right}`)).toContain(`已收到你的答案：${right}`)
    clock.advance(60_000)
    expect(await privately('小红', `#答 ${wrong}`)).toContain('已收到你的答案')
    clock.advance(60_000)
    await privately('小刚', `#答 ${wrong}`)
    clock.advance(60_000)
    expect(await privately('小刚', `#答 ${typedRight}`)).toContain('已把你的答案改为')
    expect(await privately('小明', '#答')).toContain('请在 #答 后面写上答案')

    clock.advance(2 * 3_600_000)
    await closer.tick()
    const result = await h.waitForSent((m) => m.room === G1 && m.text.includes('【每日一题 · 答案】'))
    expect(result.text).toContain(`出处：${citation}`)
    expect(result.text).toContain('3 人作答，2 人答对。')
    expect(result.text).toContain(`答案：${answerLine}`)
    expect(await privately('小明', `#答 ${wrong}`)).toContain('现在没有进行中的每日一题')

    const { correct, firstCorrect } = h.config.quiz.points
    expect(await privately('小明', '#积分')).toMatch(new RegExp(`本月 ${correct + firstCorrect} 分（第 1 名）`))
    expect(await privately('小刚', '#积分')).toMatch(new RegExp(`本月 ${correct} 分（第 2 名）`))
    expect(await privately('小红', '#积分')).toContain('本月 0 分（暂无排名）')
    expect(await privately('小红', '#我的答题')).toContain('✗ 错误')

    // the leaderboard is opt-in: members are refused, a secretary posts it in the group
    const [refused] = await h.say('小红', '#积分榜', { room: G1 })
    expect(body(refused)).toContain('只有书记可以使用')
    const [board] = await h.say('张书记', '#积分榜', { room: G1 })
    expect(board!.room).toBe(G1)
    expect(board!.text).toMatch(new RegExp(`1\\. 小明 ${correct + firstCorrect} 分\\n2\\. 小刚 ${correct} 分`))
    expect(board!.text).not.toContain('小红')
  })
})
