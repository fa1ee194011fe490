/**
 * Fit the answerability model (src/materials/answerability.ts) and write its coefficients to
 * src/materials/builtin/answerability.json:   tsx bench/fit-answerability.ts
 *
 * Training data: the TUNING halves (fixed by a hash of the item id, bench/qa-sets.ts) of
 * qa-colloquial (answerable and unanswerable), qa-dev (answerable) and qa-dev-unanswerable. The
 * held-out halves are only reported (`npm run bench:qa`), never fitted on. Each question is parsed and
 * ranked as the bot does it; its features are measured on the hits; label 1 = the materials answer it.
 * Logistic regression by gradient descent with a small L2 penalty, classes weighted to count equally;
 * the threshold is the one with the best balanced accuracy (answered share of the answerable + refused
 * share of the unanswerable), averaged over qa-colloquial and qa-dev, on the training data. Refit when the materials or the ranking change.
 *
 *   tsx bench/fit-answerability.ts --cv [--features a,b,c]
 * writes nothing: it prints, for the feature list (default: all of FEATURES), 5-fold cross-validation
 * inside the tuning half (4 shuffles): qa-colloquial AUC and the answered / refused shares of the
 * questions each fold's model did not see, next to the same figures in-sample. Small sets (23
 * unanswerable colloquial questions) make in-sample gains of a question or two noise; look here first.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadFolder } from '../src/materials/load-folder.ts'
import { buildSearchIndex } from '../src/materials/search-index.ts'
import { parseQuestion } from '../src/materials/question.ts'
import { buildCatalog } from '../src/materials/document-catalog.ts'
import { builtInThesaurus } from '../src/materials/thesaurus.ts'
import { answerProbability, FEATURES, featureVector, type AnswerabilityModel } from '../src/materials/answerability.ts'
import { answerable, colloquialAll, devAll, inHalf, materialsDir, unanswerableAll, type Item } from './qa-sets.ts'

const L2 = 0.01
const STEPS = 4000
const RATE = 0.5

const args = process.argv.slice(2)
const listed = args.includes('--features') ? args[args.indexOf('--features') + 1]!.split(',') : undefined
const features = listed ?? Object.keys(FEATURES)

const { documents } = await loadFolder(materialsDir)
const passages = documents.flatMap((d) => d.passages)
const index = buildSearchIndex(passages)
const catalog = buildCatalog(passages, builtInThesaurus())

interface Sample { x: number[]; y: number; set: 'colloquial' | 'dev' }
const sample = (items: Item[], set: Sample['set']): Sample[] => items.filter(inHalf('tune')).map((item) => {
  const q = parseQuestion(item.q, { catalog })
  return { x: featureVector({ features }, q, index.search(q, 5)), y: answerable(item) ? 1 : 0, set }
})
const data = [...sample(colloquialAll, 'colloquial'), ...sample(devAll, 'dev'), ...sample(unanswerableAll, 'dev')]

/** Answered share of the answerable and refused share of the unanswerable of one set, at threshold t. */
const rates = (rows: readonly Sample[], p: (s: Sample) => number, t: number, set: Sample['set']) => {
  const of = rows.filter((d) => d.set === set)
  const pos = of.filter((d) => d.y)
  const neg = of.filter((d) => !d.y)
  return { tp: pos.filter((d) => p(d) >= t).length / pos.length, tn: neg.filter((d) => p(d) < t).length / neg.length }
}

function fit(rows: readonly Sample[]): AnswerabilityModel {
  const positives = rows.filter((d) => d.y === 1).length
  const classWeight = (y: number) => rows.length / 2 / (y ? positives : rows.length - positives)
  const model: AnswerabilityModel = { features, weights: features.map(() => 0), bias: 0, threshold: 0.5 }
  for (let step = 0; step < STEPS; step++) {
    const grad = features.map(() => 0)
    let gb = 0
    for (const { x, y } of rows) {
      const err = (answerProbability(model, x) - y) * classWeight(y)
      x.forEach((v, i) => { grad[i]! += err * v })
      gb += err
    }
    model.weights = model.weights.map((w, i) => w - RATE * (grad[i]! / rows.length + L2 * w))
    model.bias -= RATE * gb / rows.length
  }
  // balanced accuracy of each set (qa-colloquial; qa-dev with its unanswerable set), averaged: the
  // larger quiz set does not decide the threshold for members' own questions
  const p = (d: Sample) => answerProbability(model, d.x)
  const balanced = (t: number) => {
    const c = rates(rows, p, t, 'colloquial')
    const d = rates(rows, p, t, 'dev')
    return { t, score: (c.tp + c.tn + d.tp + d.tn) / 4 }
  }
  const best = Array.from({ length: 81 }, (_, i) => balanced(0.1 + i * 0.01)).sort((a, b) => b.score - a.score || Math.abs(a.t - 0.5) - Math.abs(b.t - 0.5))[0]!
  model.threshold = Number(best.t.toFixed(2))
  return model
}

/** Area under the ROC curve of qa-colloquial: how often an answerable question scores above an unanswerable one. */
const auc = (rows: readonly Sample[], p: (s: Sample) => number) => {
  const c = rows.filter((d) => d.set === 'colloquial')
  let sum = 0
  let pairs = 0
  for (const a of c) if (a.y) for (const b of c) if (!b.y) { pairs++; sum += p(a) > p(b) ? 1 : p(a) === p(b) ? 0.5 : 0 }
  return sum / pairs
}

const model = fit(data)
const inSample = (d: Sample) => answerProbability(model, d.x)
const figures = (p: (s: Sample) => number, t: (s: Sample) => number) => {
  const at = (set: Sample['set']) => {
    const of = data.filter((d) => d.set === set)
    const pos = of.filter((d) => d.y)
    const neg = of.filter((d) => !d.y)
    return `answered ${(pos.filter((d) => p(d) >= t(d)).length / pos.length).toFixed(2)} refused ${(neg.filter((d) => p(d) < t(d)).length / neg.length).toFixed(2)}`
  }
  return `colloquial AUC ${auc(data, p).toFixed(3)} ${at('colloquial')} | qa-dev ${at('dev')}`
}

/** Fold numbers 0…k-1 for n items, in an order shuffled by a fixed seed (a linear congruential generator). */
function folds(n: number, k: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i)
  let r = seed
  for (let i = n - 1; i > 0; i--) {
    r = (Math.imul(r, 1103515245) + 12345) >>> 0
    const j = r % (i + 1)
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  const out = new Array<number>(n)
  order.forEach((item, pos) => { out[item] = pos % k })
  return out
}

if (args.includes('--cv')) {
  // out-of-fold probabilities and thresholds: each question scored by a model fitted without it
  const lines: string[] = []
  for (let shuffle = 0; shuffle < 4; shuffle++) {
    const fold = folds(data.length, 5, shuffle + 1)
    const p = new Map<Sample, number>()
    const t = new Map<Sample, number>()
    for (let k = 0; k < 5; k++) {
      const m = fit(data.filter((_, i) => fold[i] !== k))
      data.forEach((d, i) => { if (fold[i] === k) { p.set(d, answerProbability(m, d.x)); t.set(d, m.threshold) } })
    }
    lines.push(`  shuffle ${shuffle}: ${figures((d) => p.get(d)!, (d) => t.get(d)!)}`)
  }
  console.log(`features: ${features.join(', ')}\nin-sample: ${figures(inSample, () => model.threshold)} (threshold ${model.threshold})\n5-fold CV inside the tuning half:\n${lines.join('\n')}`)
} else {
  const c = rates(data, inSample, model.threshold, 'colloquial')
  const d = rates(data, inSample, model.threshold, 'dev')
  const positives = data.filter((x) => x.y === 1).length
  model.weights = model.weights.map((w) => Number(w.toFixed(4)))
  model.bias = Number(model.bias.toFixed(4))
  model.fitted = `logistic regression, bench/fit-answerability.ts, on the tuning halves of qa-colloquial, qa-dev and qa-dev-unanswerable (${data.length} questions, ${positives} answerable); threshold ${model.threshold} for the best balanced accuracy there, averaged over the two sets (answers ${((c.tp + d.tp) / 2).toFixed(2)} of the answerable, refuses ${((c.tn + d.tn) / 2).toFixed(2)} of the unanswerable)`
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'materials', 'builtin', 'answerability.json')
  fs.writeFileSync(out, `${JSON.stringify(model, null, 2)}\n`)
  console.log(model)
}
