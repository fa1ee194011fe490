import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import pino from 'pino'
import { startTestRedis } from '../support/redis.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys, type Keys } from '../../src/store/keys.ts'
import { createManualClock, zonedToEpoch } from '../../src/clock.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { QuizCloser } from '../../src/jobs/quiz-closer.ts'
import { allSchedules } from '../../src/schedules/definitions.ts'
import { createLibrary, type FolderLibrary } from '../../src/materials/library.ts'
import { submitAnswer } from '../../src/quiz/answer-round.ts'
import { awardReflection, awardRound, roundResults } from '../../src/quiz/points.ts'
import { upcomingQuestions } from '../../src/quiz/question-queue.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import { scheduleConfig } from '../support/schedule-config.ts'
import { testDeps } from '../support/deps.ts'

const tz = 'Asia/Shanghai'
const g1 = '第一党支部学习群'
// Feb 29 only: real time never reaches a slot while these tests run, so only the fake clock matters
const leapCron = '0 9 29 2 *'
const slot = zonedToEpoch('2028-02-29', '09:00', tz)
const due = zonedToEpoch('2028-02-29', '21:00', tz)

let server: Awaited<ReturnType<typeof startTestRedis>>
let redis: Redis
let second: Redis
let keys: Keys
let library: FolderLibrary

beforeAll(async () => {
  server = await startTestRedis()
  redis = await connectRedis(server.url)
  second = await connectRedis(server.url)
  library = await createLibrary({ dir: path.resolve(__dirname, '..', '..', 'materials'), log: pino({ level: 'silent' }) })
})
afterAll(async () => {
  library.close()
  redis.disconnect()
  second.disconnect()
  await server.stop()
})
beforeEach(() => { keys = createKeys(`t${randomBytes(4).toString('hex')}`) })

const config = scheduleConfig([{ id: 'daily', group: g1, cron: leapCron, kind: 'quiz', due: '21:00' }])
const members = [{ id: 'wxid_a', name: '小王' }, { id: 'wxid_b', name: '小李' }, { id: 'wxid_c', name: '小赵' }]

/** Two instances of the bot on one Redis: their deps (own client each) and messengers. */
async function twoInstances(clock: ReturnType<typeof createManualClock>) {
  const a = (await testDeps({ config, redis, keys, clock, library })).deps
  const b = (await testDeps({ config, redis: second, keys, clock, library })).deps
  return { a, b, ma: createRecordingMessenger(), mb: createRecordingMessenger() }
}

/** A correct and a wrong answer to the round's only question. */
function answers(q: { type: string; answer: string }) {
  const right = q.answer
  const wrong = q.type === 'fill' ? '不知道' : q.answer === 'A' ? 'B' : 'A'
  return { right, wrong }
}

describe('quiz rounds', () => {
  it('open once and close once across two schedulers and two closers, with the answer, citation and count', async () => {
    const clock = createManualClock(slot)
    const { a, b, ma, mb } = await twoInstances(clock)
    const [def] = await allSchedules(config, a.stores.schedules)
    const [expected] = await upcomingQuestions(a, config.groups[0]!, 1)
    await Promise.all([new Scheduler(a, ma).onSlot(def!, slot, false), new Scheduler(b, mb).onSlot(def!, slot, false)])
    const posts = [...ma.sent, ...mb.sent].filter((s) => s.group === g1)
    expect(posts).toHaveLength(1)
    expect(posts[0]!.text).toContain('【每日一题】')
    expect(posts[0]!.text).toContain(expected!.stem)
    expect(posts[0]!.text).toContain('2028-02-29 21:00')

    const { right, wrong } = answers(expected!)
    clock.set(slot + 60_000)
    expect(await submitAnswer(a, config.groups[0]!, members[0]!, right, 'm1')).toContain('已收到')
    clock.set(slot + 120_000)
    await submitAnswer(b, config.groups[0]!, members[1]!, right, 'm2')
    await submitAnswer(a, config.groups[0]!, members[2]!, right, 'm3')
    // 小赵 changes their mind; the second answer replaces the first until the deadline
    clock.set(slot + 180_000)
    expect(await submitAnswer(b, config.groups[0]!, members[2]!, wrong, 'm4')).toContain('改为')

    clock.set(due + 1000)
    expect(await submitAnswer(a, config.groups[0]!, members[1]!, wrong, 'm5')).toContain('没有进行中')
    const ca = new QuizCloser(a, ma)
    const cb = new QuizCloser(b, mb)
    await Promise.all([ca.tick(), cb.tick(), ca.tick()])
    await Promise.all([ca.tick(), cb.tick()])
    const results = [...ma.sent, ...mb.sent].filter((s) => s.group === g1 && s.text.includes('答案】'))
    expect(results).toHaveLength(1)
    expect(results[0]!.text).toContain(`出处：${expected!.citation}`)
    expect(results[0]!.text).toContain('3 人作答，2 人答对')

    const { correct, firstCorrect } = config.quiz.points
    expect((await a.stores.points.standing(g1, 'wxid_a')).total).toBe(correct + firstCorrect)
    expect((await a.stores.points.standing(g1, 'wxid_b')).total).toBe(correct)
    expect((await a.stores.points.standing(g1, 'wxid_c')).total).toBe(0)
    // the next round asks the next question, not this one again
    const [next] = await upcomingQuestions(a, config.groups[0]!, 1)
    expect(next!.id).not.toBe(expected!.id)
  })

  it('count an answer once when its message is delivered twice, and award points once however often a round is settled', async () => {
    const clock = createManualClock(slot)
    const { a, ma } = await twoInstances(clock)
    const [def] = await allSchedules(config, a.stores.schedules)
    await new Scheduler(a, ma).onSlot(def!, slot, false)
    const round = (await a.stores.quiz.currentRound(g1, clock.now()))!
    const { right, wrong } = answers(round.questions[0]!)
    await submitAnswer(a, config.groups[0]!, members[0]!, right, 'msg-1')
    await submitAnswer(a, config.groups[0]!, members[0]!, wrong, 'msg-2')
    // msg-1 arrives again (a reconnect redelivers it): 小王's latest answer stays
    await submitAnswer(a, config.groups[0]!, members[0]!, right, 'msg-1')
    expect((await a.stores.quiz.answers(g1, round.id)).map((x) => x.correct)).toEqual([false])
    await submitAnswer(a, config.groups[0]!, members[0]!, right, 'msg-3')

    clock.set(due + 1000)
    const all = await a.stores.quiz.answers(g1, round.id)
    const results = roundResults(round, all)
    await Promise.all([awardRound(a, round, all, results), awardRound(a, round, all, results)])
    await awardRound(a, round, all, results)
    const { correct, firstCorrect, reflection } = config.quiz.points
    expect((await a.stores.points.standing(g1, 'wxid_a')).total).toBe(correct + firstCorrect)

    const r = { group: g1, memberId: 'wxid_a', memberName: '小王', id: 'r1', assignmentId: 'task-1', submittedMs: clock.now() }
    await Promise.all([awardReflection(a, r), awardReflection(a, { ...r, id: 'r2' })])
    expect((await a.stores.points.standing(g1, 'wxid_a')).total).toBe(correct + firstCorrect + reflection)
  })

  it('cancel a round that could not be posted, and ask its question at the next slot', async () => {
    const clock = createManualClock(slot)
    const { a, ma } = await twoInstances(clock)
    const [def] = await allSchedules(config, a.stores.schedules)
    const [expected] = await upcomingQuestions(a, config.groups[0]!, 1)
    ma.failNext(10)
    const scheduler = new Scheduler(a, ma, { sendAttempts: 2, retryBaseMs: 1 })
    await scheduler.onSlot(def!, slot, false)
    // nothing reached the group (its secretary is told privately that it failed)
    expect(ma.sent.filter((x) => x.group)).toEqual([])
    expect(await a.stores.quiz.currentRound(g1, clock.now())).toBeUndefined()
    const [again] = await upcomingQuestions(a, config.groups[0]!, 1)
    expect(again!.id).toBe(expected!.id)
    expect((await a.stores.schedules.firings(g1, 'daily'))[0]).toMatchObject({ outcome: 'failed' })
  })

  it('send answers to the newest open round, also when another instance opened it', async () => {
    const clock = createManualClock(slot)
    const { a, b, ma, mb } = await twoInstances(clock)
    const [def] = await allSchedules(config, a.stores.schedules)
    await new Scheduler(a, ma).onSlot(def!, slot, false)
    const first = (await a.stores.quiz.currentRound(g1, clock.now()))!
    await submitAnswer(a, config.groups[0]!, members[0]!, '一', 'x1')
    // instance b opens a second round (a manual #定时 立即); instance a still remembers the first
    clock.set(slot + 3_600_000)
    await new Scheduler(b, mb).onSlot(def!, slot + 3_600_000, false)
    await submitAnswer(a, config.groups[0]!, members[1]!, '二', 'x2')
    const newest = (await b.stores.quiz.currentRound(g1, clock.now()))!
    expect(newest.id).not.toBe(first.id)
    expect((await a.stores.quiz.answers(g1, newest.id)).map((x) => x.member)).toEqual(['wxid_b'])
    expect((await a.stores.quiz.answers(g1, first.id)).map((x) => x.member)).toEqual(['wxid_a'])
  })
})
