// npm run bench:quiz — 1) 100 questions generated from ../shared/materials, judged by bench/quiz-judge.ts
// against the cited passage; 2) judging 10,000 answers to one round next to raw HSET of the same answers.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { parseConfig } from '../src/config.ts'
import { createManualClock } from '../src/clock.ts'
import { createDeps } from '../src/deps.ts'
import { createKeys } from '../src/store/keys.ts'
import { connectRedis } from '../src/store/redis.ts'
import { startLocalRedis } from '../src/store/local-redis-server.ts'
import { submitAnswer } from '../src/quiz/answer-round.ts'
import { createLibrary } from '../src/materials/library.ts'
import { buildCorpus } from '../src/quiz/corpus.ts'
import { reviewCandidates } from '../src/quiz/generate.ts'
import type { RejectReason } from '../src/quiz/ambiguity.ts'
import type { Question } from '../src/quiz/types.ts'
import { expectedText, judge } from './quiz-judge.ts'

const QUESTIONS = 100
const here = path.dirname(fileURLToPath(import.meta.url))
const materials = path.resolve(here, '..', '..', 'shared', 'materials')
const log = pino({ level: 'silent' })

// --- 1. generation ---------------------------------------------------------------------------------
const library = await createLibrary({ dir: materials, log })
const passages = library.documents().flatMap((d) => library.passages(d.doc))
const started = performance.now()
const corpus = buildCorpus(passages)
const analysed = performance.now()
const questions: Question[] = []
const rejected = new Map<RejectReason, { count: number; examples: string[] }>()
for (const v of reviewCandidates(corpus)) {
  if ('question' in v) {
    questions.push(v.question)
    if (questions.length >= QUESTIONS) break
    continue
  }
  const r = rejected.get(v.rejection.reason) ?? rejected.set(v.rejection.reason, { count: 0, examples: [] }).get(v.rejection.reason)!
  r.count++
  const example = `“${v.rejection.answer}”：${v.rejection.detail} —— ${v.rejection.sentence.slice(0, 60)}`
  if (r.examples.length < 3 && !r.examples.includes(example)) r.examples.push(example)
}
const generated = performance.now()
library.close()

const byId = new Map(passages.map((p) => [p.id, p]))
let grounded = 0
let unambiguous = 0
const failures: string[] = []
for (const [i, q] of questions.entries()) {
  const j = judge(q, byId.get(q.source!.passageId), corpus.text)
  if (!j.grounded.length) grounded++
  if (!j.ambiguous.length) unambiguous++
  const problems = [...j.grounded, ...j.ambiguous]
  if (problems.length) failures.push(`  ${i + 1}. ${q.stem}（答案：${expectedText(q)}；${q.citation}）\n     ${problems.join('；')}`)
}
const kinds = new Map<string, number>()
for (const q of questions) kinds.set(`${q.type === 'single' ? '单选' : '填空'}·${q.spanKind!.kind}`, (kinds.get(`${q.type === 'single' ? '单选' : '填空'}·${q.spanKind!.kind}`) ?? 0) + 1)
const docs = new Set(questions.map((q) => q.source!.doc)).size
const pct = (n: number) => `${((100 * n) / questions.length).toFixed(1)} %`

console.log(`出题：${library.documents().length} 份材料、${passages.length} 个段落，生成 ${questions.length} 道题（来自 ${docs} 份材料）`)
console.log(`  分析材料 ${Math.round(analysed - started)} ms，出 ${questions.length} 道题 ${Math.round(generated - analysed)} ms`)
console.log(`  题型：${[...kinds].map(([k, n]) => `${k} ${n}`).join('，')}`)
console.log(`  答案是出处段落中挖空的原文：${grounded}/${questions.length}（${pct(grounded)}，目标 100 %）`)
console.log(`  无歧义（答案不重复、选项互不包含、不是标题、同一上下文无其他填法、干扰项填入后不见于材料）：${unambiguous}/${questions.length}（${pct(unambiguous)}，目标 ≥ 95 %）`)
if (failures.length) console.log(`  评判未通过的题：\n${failures.join('\n')}`)
else console.log('  评判未通过的题：无')
console.log('  出题时排除的候选（原因、数量、示例）：')
for (const [reason, r] of rejected) console.log(`    ${reason} ${r.count}\n${r.examples.map((e) => `      ${e}`).join('\n')}`)

// --- 2. judging answers --------------------------------------------------------------------------
const ANSWERS = 10_000
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-bench-quiz-'))
const server = await startLocalRedis({ dir, persistent: false })
const redis = await connectRedis(server.url)
try {
  const config = parseConfig({ groups: [{ topic: '基准测试群' }] }, path.join(dir, 'bench.yaml'), {})
  const clock = createManualClock(Date.UTC(2026, 11, 2, 1))
  const deps = await createDeps({ config, log, redis, clock, keys: createKeys('bench') })
  const group = config.groups[0]!
  const fill = questions.find((q) => q.type === 'fill')!
  await deps.stores.quiz.openRound({ id: 'r1', group: group.key, slot: clock.now(), openedAt: clock.now(), dueAt: clock.now() + 3_600_000, questions: [fill] })
  // every fifth member right, the others wrong, each written the way members type (full width, spaces)
  const texts = Array.from({ length: ANSWERS }, (_, i) => (i % 5 === 0 ? ` ${fill.answer}。` : `错误答案${i % 7}`))
  const members = Array.from({ length: ANSWERS }, (_, i) => ({ id: `wxid_member_${i}`, name: `成员${i}` }))

  const rawKey = 'bench:raw-answers'
  const raw = async (run: number) => {
    for (let i = 0; i < ANSWERS; i++) {
      await redis.hset(rawKey, `0:${members[i]!.id}`, JSON.stringify({ member: members[i]!.id, name: members[i]!.name, question: 0, text: texts[i], at: clock.now(), messageId: `m${run}-${i}` }))
    }
  }
  const judged = async (run: number) => {
    for (let i = 0; i < ANSWERS; i++) await submitAnswer(deps, group, members[i]!, texts[i]!, `m${run}-${i}`)
  }
  // three alternating runs of each on the shared machine; the median of each is reported
  const rawRuns: number[] = []
  const judgedRuns: number[] = []
  for (let run = 0; run < 3; run++) {
    let t = performance.now()
    await raw(run)
    rawRuns.push(performance.now() - t)
    t = performance.now()
    await judged(run)
    judgedRuns.push(performance.now() - t)
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!
  const rawMs = median(rawRuns)
  const judgedMs = median(judgedRuns)
  const stored = await deps.stores.quiz.answers(group.key, 'r1')
  const right = stored.filter((a) => a.correct).length
  const rate = (ms: number) => Math.round((ANSWERS / ms) * 1000)
  console.log(`\n判题：一轮 ${ANSWERS} 个回答（逐条等待，本机 redis-server，unix socket；交替各跑 3 次取中位数）`)
  console.log(`  基线 Redis HSET：${rate(rawMs)} 条/秒（${Math.round(rawMs)} ms）`)
  console.log(`  #答 判题并记录（规范化、判对错、一次 Lua 写入，含去重与截止检查）：${rate(judgedMs)} 条/秒（${Math.round(judgedMs)} ms）`)
  console.log(`  吞吐比：${(rawMs / judgedMs).toFixed(2)}（目标 ≥ 0.3）；记录 ${stored.length} 条，判对 ${right} 条（应为 ${ANSWERS / 5}）`)
} finally {
  redis.disconnect()
  await server.stop()
  fs.rmSync(dir, { recursive: true, force: true })
}
