/**
 * Retrieval and answer benchmark on ../shared/materials with ../shared/eval (npm run bench:qa).
 *
 *   tsx bench/qa.ts                 full table: quality at 1x (qa-colloquial tuning and held-out halves,
 *                                   all of qa-dev), reply length, speed and memory at 1x, 10x, 100x,
 *                                   next to the reference retriever measured in the same run
 *   tsx bench/qa.ts --quality       quality on the TUNING halves only (fast, for trying changes);
 *                                   BENCH_RANKING='{"b":0.3}', BENCH_MISSES=1, BENCH_BASELINE=1 (the reference too)
 *   tsx bench/qa.ts --scale N --engine ours|baseline   one child run (peak RSS is per process)
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import MiniSearch from 'minisearch'
import { loadFolder } from '../src/materials/load-folder.ts'
import { buildSearchIndex, DEFAULT_RANKING, type RankingOptions } from '../src/materials/search-index.ts'
import { parseQuestion } from '../src/materials/question.ts'
import { buildCatalog } from '../src/materials/document-catalog.ts'
import { builtInThesaurus } from '../src/materials/thesaurus.ts'
import { createTokenizer } from '../src/materials/tokenize.ts'
import { extractiveAnswer } from '../src/materials/answer-extractive.ts'
import { shippedAnswerability } from '../src/materials/answerability.ts'
import type { Hit, Passage } from '../src/materials/types.ts'
import { answerable, answerTest, colloquialAll, devAll, flat, inHalf, isHit, materialsDir, unanswerableAll, type Half, type Item } from './qa-sets.ts'

/** An engine ranks passages and decides whether to answer; `reply` is the text a member would get. */
interface Engine {
  search(q: string, k: number): Hit[]
  /** undefined = refused. */
  reply(q: string): string | undefined
}

function ours(passages: Passage[], ranking: RankingOptions = DEFAULT_RANKING): Engine {
  const index = buildSearchIndex(passages, ranking)
  const catalog = buildCatalog(passages, builtInThesaurus())
  const model = shippedAnswerability()
  return {
    search: (q, k) => index.search(parseQuestion(q, { catalog }), k),
    reply(q) {
      const parsed = parseQuestion(q, { catalog })
      const answer = extractiveAnswer(parsed, index.search(parsed, 5), { answerChars: 300, model })
      return answer.answered ? answer.text : undefined
    },
  }
}

const bigrams = (s: string) => {
  const out: string[] = []
  for (const run of s.match(/[\u3400-\u9fff]+|[A-Za-z0-9]+/g) ?? []) {
    if (run.length === 1 || !/[\u3400-\u9fff]/.test(run)) out.push(run)
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2))
  }
  return out
}

/**
 * The reference: MiniSearch, character bigrams, BM25 defaults, the same passages; no query cleaning.
 * It answers with the whole best passage when the share of query bigrams found reaches a threshold
 * calibrated to answer 95% of qa-dev (its best case).
 */
function baseline(passages: Passage[]): Engine {
  const ms = new MiniSearch<Passage>({ fields: ['text'], idField: 'id', tokenize: bigrams, processTerm: (t) => t })
  ms.addAll(passages)
  const byId = new Map(passages.map((p) => [p.id, p]))
  const search = (q: string, k: number): Hit[] => {
    const terms = bigrams(q)
    // MiniSearch scores are unbounded; the share of query bigrams found stands in for confidence
    return ms.search(q, { combineWith: 'OR' }).slice(0, k).map((r) => ({ passage: byId.get(r.id)!, score: r.terms.length / Math.max(1, new Set(terms).size) }))
  }
  const tops = devAll.map((item) => search(item.q, 1)[0]?.score ?? 0).sort((a, b) => a - b)
  const threshold = tops[Math.floor(tops.length * 0.05)]!
  return {
    search,
    reply(q) {
      const best = search(q, 1)[0]
      return best && best.score >= threshold ? `${best.passage.text}\n——${best.passage.citation}` : undefined
    },
  }
}

/** The reply without its citation lines and the 原文 hint: what the member reads as the answer. */
const answerPart = (reply: string) => reply.split('\n').filter((l) => !l.startsWith('——') && !l.startsWith('回复“原文”')).join('\n')

interface Ranked { n: number; h1: number; h5: number; mrr: number }
const ranked = (): Ranked => ({ n: 0, h1: 0, h5: 0, mrr: 0 })
function rank(engine: Engine, item: Item, passages: readonly Passage[], into: Ranked): void {
  const test = answerTest(item, passages)
  const hits = engine.search(item.q, 10)
  const r = hits.findIndex((h) => isHit(item, h.passage, test))
  into.n++
  if (r === 0) into.h1++
  if (r >= 0 && r < 5) into.h5++
  if (r >= 0) into.mrr += 1 / (r + 1)
  if (process.env.BENCH_MISSES && r !== 0) console.error(`miss(${r}) ${item.id} ${item.q.slice(0, 50)} | ${item.a} | got ${hits[0]?.passage.citation.slice(0, 40)}`)
}
const rates = (g: Ranked) => ({ n: g.n, hit1: g.h1 / g.n, hit5: g.h5 / g.n, mrr: g.mrr / g.n })

/** qa-dev: hit@1/@5/MRR of quiz and natural questions, refusal on qa-dev-unanswerable, answered share. */
function devQuality(engine: Engine, passages: readonly Passage[], half: Half) {
  const groups = { quiz: ranked(), natural: ranked() }
  let answered = 0
  const lengths: number[] = []
  const dev = devAll.filter(inHalf(half))
  for (const item of dev) {
    const natural = item.origin !== 'official_12371'
    rank(engine, item, passages, natural ? groups.natural : groups.quiz)
    const reply = engine.reply(item.q)
    if (reply !== undefined) {
      answered++
      if (natural) lengths.push(answerPart(reply).length)
    }
  }
  const unanswerable = unanswerableAll.filter(inHalf(half))
  const refused = unanswerable.filter((item) => engine.reply(item.q) === undefined).length
  return { quiz: rates(groups.quiz), natural: rates(groups.natural), refusal: refused / unanswerable.length, nu: unanswerable.length, answered: answered / dev.length, lengths }
}

/** qa-colloquial: hit@1/@5 on the answerable, answered and gold-in-reply shares, refusal of the unanswerable. */
function colloquialQuality(engine: Engine, passages: readonly Passage[], half: Half) {
  const items = colloquialAll.filter(inHalf(half))
  const g = ranked()
  let answered = 0
  let gold = 0
  let refused = 0
  const lengths: number[] = []
  for (const item of items) {
    const reply = engine.reply(item.q)
    if (!answerable(item)) { if (reply === undefined) refused++; continue }
    rank(engine, item, passages, g)
    if (reply === undefined) continue
    answered++
    lengths.push(answerPart(reply).length)
    if (flat(reply).includes(flat(item.a))) gold++
  }
  const u = items.length - g.n
  return { ...rates(g), answered: answered / g.n, gold: gold / g.n, refusal: refused / u, nu: u, lengths }
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)]! : 0 }
const f2 = (x: number) => x.toFixed(2)
type Dev = ReturnType<typeof devQuality>
type Coll = ReturnType<typeof colloquialQuality>
const devLine = (q: Dev) =>
  `qa-dev quiz ${f2(q.quiz.hit1)} / ${f2(q.quiz.hit5)}  natural ${f2(q.natural.hit1)} / ${f2(q.natural.hit5)}  refusal ${f2(q.refusal)} answered ${f2(q.answered)}`
const collLine = (c: Coll) =>
  `colloquial hit@1 ${f2(c.hit1)} hit@5 ${f2(c.hit5)} answered ${f2(c.answered)} gold-in-reply ${f2(c.gold)} refused ${f2(c.refusal)} reply median ${median(c.lengths)} (n=${c.n}+${c.nu})`

function replicate(passages: Passage[], times: number): Passage[] {
  if (times === 1) return passages
  const out: Passage[] = []
  for (let c = 0; c < times; c++) {
    for (const p of passages) out.push({ ...p, id: `c${c}/${p.id}`, doc: `copy${c}-${p.doc}` })
  }
  return out
}

async function childRun(scale: number, engineName: string): Promise<void> {
  const { documents } = await loadFolder(materialsDir)
  const passages = replicate(documents.flatMap((d) => d.passages), scale)
  // jieba's dictionary loads once per process (a folder reload reuses it): timed on its own
  const d0 = performance.now()
  if (engineName === 'ours') createTokenizer(DEFAULT_RANKING.tokenizer)('预热')
  const dictionary = performance.now() - d0
  const t0 = performance.now()
  const engine = engineName === 'ours' ? ours(passages) : baseline(passages)
  const build = performance.now() - t0
  const queries = [...devAll, ...unanswerableAll, ...colloquialAll].map((i) => i.q)
  for (const q of queries) engine.search(q, 5) // warm up: JIT and jieba's dictionary, not part of a query's cost
  const times: number[] = []
  for (let round = 0; round < (scale >= 100 ? 1 : 3); round++) {
    for (const q of queries) {
      const s = performance.now()
      engine.search(q, 5)
      times.push(performance.now() - s)
    }
  }
  times.sort((a, b) => a - b)
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!
  const out: Record<string, unknown> = {
    passages: passages.length, build, dictionary, p50: pct(0.5), p99: pct(0.99), rssMB: process.resourceUsage().maxRSS / 1024,
  }
  if (scale === 1) {
    out.dev = devQuality(engine, passages, 'all')
    out.tune = colloquialQuality(engine, passages, 'tune')
    out.heldOut = colloquialQuality(engine, passages, 'held-out')
  }
  process.stdout.write(JSON.stringify(out))
}

function spawnChild(scale: number, engine: string): Record<string, any> {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--scale', String(scale), '--engine', engine], {
    encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' },
  })
  if (r.status !== 0) throw new Error(`bench child ${engine} ${scale}x failed:\n${r.stderr}`)
  return JSON.parse(r.stdout)
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0))

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const scaleAt = args.indexOf('--scale')
  if (scaleAt >= 0) return childRun(Number(args[scaleAt + 1]), args[args.indexOf('--engine') + 1] ?? 'ours')
  if (args.includes('--quality')) {
    const { documents } = await loadFolder(materialsDir)
    const passages = documents.flatMap((d) => d.passages)
    const engine = ours(passages, { ...DEFAULT_RANKING, ...JSON.parse(process.env.BENCH_RANKING ?? '{}') })
    // only the tuning halves: tune on them; the held-out half is reported by the full run
    console.log('tune', devLine(devQuality(engine, passages, 'tune')))
    console.log('tune', collLine(colloquialQuality(engine, passages, 'tune')))
    // BENCH_HELD_OUT=1: the held-out halves too, for a report (never for choosing a change)
    if (process.env.BENCH_HELD_OUT) {
      console.log('held-out', devLine(devQuality(engine, passages, 'held-out')))
      console.log('held-out', collLine(colloquialQuality(engine, passages, 'held-out')))
    }
    if (process.env.BENCH_BASELINE) {
      const base = baseline(passages)
      console.log('reference tune', devLine(devQuality(base, passages, 'tune')))
      console.log('reference tune', collLine(colloquialQuality(base, passages, 'tune')))
    }
    return
  }
  const started = performance.now()
  const result: Record<string, Record<number, Record<string, any>>> = { ours: {}, baseline: {} }
  for (const scale of [1, 10, 100]) {
    for (const engine of ['ours', 'baseline']) {
      process.stderr.write(`${engine} ${scale}x ...\n`)
      result[engine]![scale] = spawnChild(scale, engine)
    }
  }
  const o = result.ours![1]!
  const b = result.baseline![1]!
  const rows: string[] = ['| figure (1x unless noted) | studybot | reference: MiniSearch char bigrams | target |', '| --- | --- | --- | --- |']
  for (const [label, key] of [['tuning half', 'tune'], ['held-out half', 'heldOut']] as const) {
    const c: Coll = o[key]
    const r: Coll = b[key]
    rows.push(`| qa-colloquial ${label}: hit@1 / hit@5 (n=${c.n}) | ${f2(c.hit1)} / ${f2(c.hit5)} | ${f2(r.hit1)} / ${f2(r.hit5)} | ≥ 0.85 / ≥ 0.95 |`)
    rows.push(`| qa-colloquial ${label}: answers, of the answerable / gold answer in the reply | ${f2(c.answered)} / ${f2(c.gold)} | ${f2(r.answered)} / ${f2(r.gold)} | ≥ 0.90 / ≥ 0.85 |`)
    rows.push(`| qa-colloquial ${label}: refuses, of the unanswerable (n=${c.nu}) | ${f2(c.refusal)} | ${f2(r.refusal)} | ≥ 0.85 |`)
    rows.push(`| qa-colloquial ${label}: median reply length, citation excluded | ${median(c.lengths)} | ${median(r.lengths)} | ≤ 150 |`)
  }
  const d: Dev = o.dev
  const e: Dev = b.dev
  rows.push(`| qa-dev quiz hit@1 / hit@5 / MRR (n=${d.quiz.n}) | ${f2(d.quiz.hit1)} / ${f2(d.quiz.hit5)} / ${f2(d.quiz.mrr)} | ${f2(e.quiz.hit1)} / ${f2(e.quiz.hit5)} / ${f2(e.quiz.mrr)} | ≥ 0.90 / ≥ 0.98 |`)
  rows.push(`| qa-dev natural hit@1 / hit@5 / MRR (n=${d.natural.n}) | ${f2(d.natural.hit1)} / ${f2(d.natural.hit5)} / ${f2(d.natural.mrr)} | ${f2(e.natural.hit1)} / ${f2(e.natural.hit5)} / ${f2(e.natural.mrr)} | ≥ 0.85 hit@1 |`)
  rows.push(`| qa-dev-unanswerable refused (n=${d.nu}) / qa-dev answered | ${f2(d.refusal)} / ${f2(d.answered)} | ${f2(e.refusal)} / ${f2(e.answered)} | ≥ 0.85 / – |`)
  rows.push(`| qa-dev natural: median reply length, citation excluded | ${median(d.lengths)} | ${median(e.lengths)} | ≤ 150 |`)
  for (const scale of [1, 10, 100]) {
    const r = result.ours![scale]!
    const s = result.baseline![scale]!
    rows.push(`| ${scale}x (${r.passages} passages): latency p50 / p99 | ${ms(r.p50)} / ${ms(r.p99)} ms | ${ms(s.p50)} / ${ms(s.p99)} ms | ${scale === 1 ? 'p99 < 20 ms' : scale === 100 ? 'p99 < 200 ms' : ''} |`)
    rows.push(`| ${scale}x: index build / peak RSS | ${ms(r.build)} ms / ${r.rssMB.toFixed(0)} MB | ${ms(s.build)} ms / ${s.rssMB.toFixed(0)} MB | |`)
  }
  rows.push(`| jieba dictionary, loaded once per process (not in the build rows) | ${ms(result.ours![1]!.dictionary)} ms | – | |`)
  console.log(rows.join('\n'))
  console.log(`\n(answerability: ${shippedAnswerability().fitted ?? 'src/materials/builtin/answerability.json'}; reference threshold calibrated to answer 95% of qa-dev; run took ${((performance.now() - started) / 1000).toFixed(0)} s)`)
}

await main()
