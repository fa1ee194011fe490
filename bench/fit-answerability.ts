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

const { documents } = await loadFolder(materialsDir)
const passages = documents.flatMap((d) => d.passages)
const index = buildSearchIndex(passages)
const catalog = buildCatalog(passages, builtInThesaurus())
const features = Object.keys(FEATURES)

const sample = (items: Item[], set: string) => items.filter(inHalf('tune')).map((item) => {
  const q = parseQuestion(item.q, { catalog })
  return { x: featureVector({ features }, q, index.search(q, 5)), y: answerable(item) ? 1 : 0, set }
})
const data = [...sample(colloquialAll, 'colloquial'), ...sample(devAll, 'dev'), ...sample(unanswerableAll, 'dev')]
const positives = data.filter((d) => d.y === 1).length
const classWeight = (y: number) => data.length / 2 / (y ? positives : data.length - positives)

const model: AnswerabilityModel = { features, weights: features.map(() => 0), bias: 0, threshold: 0.5 }
for (let step = 0; step < STEPS; step++) {
  const grad = features.map(() => 0)
  let gb = 0
  for (const { x, y } of data) {
    const err = (answerProbability(model, x) - y) * classWeight(y)
    x.forEach((v, i) => { grad[i]! += err * v })
    gb += err
  }
  model.weights = model.weights.map((w, i) => w - RATE * (grad[i]! / data.length + L2 * w))
  model.bias -= RATE * gb / data.length
}

// balanced accuracy of each set (qa-colloquial; qa-dev with its unanswerable set), averaged: the
// larger quiz set does not decide the threshold for members' own questions
const balanced = (t: number) => {
  const rates = ['colloquial', 'dev'].map((set) => {
    const p = data.filter((d) => d.set === set).map((d) => ({ y: d.y, a: answerProbability(model, d.x) >= t }))
    const pos = p.filter((d) => d.y).length
    return { tp: p.filter((d) => d.y && d.a).length / pos, tn: p.filter((d) => !d.y && !d.a).length / (p.length - pos) }
  })
  const tp = (rates[0]!.tp + rates[1]!.tp) / 2
  const tn = (rates[0]!.tn + rates[1]!.tn) / 2
  return { t, score: (tp + tn) / 2, tp, tn }
}
const best = Array.from({ length: 81 }, (_, i) => balanced(0.1 + i * 0.01)).sort((a, b) => b.score - a.score || Math.abs(a.t - 0.5) - Math.abs(b.t - 0.5))[0]!
model.threshold = Number(best.t.toFixed(2))
model.weights = model.weights.map((w) => Number(w.toFixed(4)))
model.bias = Number(model.bias.toFixed(4))
model.fitted = `logistic regression, bench/fit-answerability.ts, on the tuning halves of qa-colloquial, qa-dev and qa-dev-unanswerable (${data.length} questions, ${positives} answerable); threshold ${model.threshold} for the best balanced accuracy there, averaged over the two sets (answers ${best.tp.toFixed(2)} of the answerable, refuses ${best.tn.toFixed(2)} of the unanswerable)`

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'materials', 'builtin', 'answerability.json')
fs.writeFileSync(out, `${JSON.stringify(model, null, 2)}\n`)
console.log(model)
