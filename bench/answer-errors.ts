/**
 * Where answers are lost on the TUNING half of qa-colloquial (never the held-out half):
 *
 *   tsx bench/answer-errors.ts
 *
 * Each answerable question goes to one group: answered with the gold answer in the reply; (a) right
 * first passage but refused; (b) right first passage, answered, gold answer not in the reply; (c) wrong
 * first passage (answered or refused). The unanswerable ones are split into refused and answered.
 * Every question is printed with its answerability probability and features and the first hit's
 * sentence, the groups' sizes at the end.
 */
import { loadFolder } from '../src/materials/load-folder.ts'
import { buildSearchIndex } from '../src/materials/search-index.ts'
import { parseQuestion } from '../src/materials/question.ts'
import { buildCatalog } from '../src/materials/document-catalog.ts'
import { builtInThesaurus } from '../src/materials/thesaurus.ts'
import { extractiveAnswer } from '../src/materials/answer-extractive.ts'
import { answerProbability, featureVector, shippedAnswerability } from '../src/materials/answerability.ts'
import { answerable, answerTest, colloquialAll, flat, inHalf, isHit, materialsDir } from './qa-sets.ts'

const { documents } = await loadFolder(materialsDir)
const passages = documents.flatMap((d) => d.passages)
const index = buildSearchIndex(passages)
const catalog = buildCatalog(passages, builtInThesaurus())
const model = shippedAnswerability()

const groups = new Map<string, string[]>()
for (const item of colloquialAll.filter(inHalf('tune'))) {
  const q = parseQuestion(item.q, { catalog })
  const hits = index.search(q, 5)
  const x = featureVector(model, q, hits)
  const reply = extractiveAnswer(q, hits, { answerChars: 300, model })
  const features = model.features.map((f, i) => `${f} ${x[i]!.toFixed(2)}`).join(', ')
  let group: string
  let gold = ''
  if (!answerable(item)) group = reply.answered ? 'unanswerable, answered' : 'unanswerable, refused'
  else {
    gold = ` | gold: ${item.a}`
    const right = hits[0] !== undefined && isHit(item, hits[0].passage, answerTest(item, passages))
    if (!right) group = reply.answered ? '(c) wrong first passage, answered' : '(c) wrong first passage, refused'
    else if (!reply.answered) group = '(a) right first passage, refused'
    else group = flat(reply.text).includes(flat(item.a)) ? 'answered with the gold answer' : '(b) right first passage, gold answer not in the reply'
  }
  const line = `${item.id} p ${answerProbability(model, x).toFixed(2)} ${item.q}${gold}\n    ${hits[0]?.passage.citation ?? '-'}: ${hits[0]?.span?.text ?? ''}\n    ${features}`
  groups.set(group, [...(groups.get(group) ?? []), line])
}
for (const [group, lines] of [...groups].sort()) console.log(`\n== ${group}: ${lines.length}\n${lines.join('\n')}`)
console.log(`\n${[...groups].sort().map(([g, l]) => `${g}: ${l.length}`).join('\n')} (threshold ${model.threshold})`)
