import type { MaterialLibrary, Passage } from '../materials/types.ts'
import { matchForm } from '../materials/tokenize.ts'
import { builtInThesaurus } from '../materials/thesaurus.ts'

/** What `#教 问题 => 答案` says, or the Chinese reason it cannot be used. */
export type TeachRequest = { question: string; answer: string } | { problem: string }

const ARROW = /\s*(?:=>|＝>|=＞|＝＞|→)\s*/
export const MAX_QUESTION = 200
export const MAX_ANSWER = 1000

/** Split `问题 => 答案`; undefined when there is no arrow at all. */
export function parseTeach(args: string): TeachRequest | undefined {
  const at = ARROW.exec(args)
  if (!at) return undefined
  const question = args.slice(0, at.index).trim()
  const answer = args.slice(at.index + at[0].length).trim()
  if (!question) return { problem: '“=>”前面请写上问题。' }
  if (!answer) return { problem: '“=>”后面请写上答案，或“第X条”。' }
  if (question.length > MAX_QUESTION) return { problem: `问题太长了（不超过 ${MAX_QUESTION} 字）。` }
  if (answer.length > MAX_ANSWER) return { problem: `答案太长了（不超过 ${MAX_ANSWER} 字），可以改为引用条文，如“党章第七条”。` }
  return { question, answer }
}

/** The answer resolved against the materials: a passage it names or quotes, or the secretary's own words. */
export type ResolvedAnswer =
  | { kind: 'passage'; answer: string; citation: string; doc: string }
  | { kind: 'text'; answer: string }
  | { problem: string }

const ARTICLE = /^[《〈]?([^》〉]*?)[》〉]?\s*(第[一二三四五六七八九十百零〇两0-9]+条)$/

/**
 * `第七条` / `党章第七条` / `《中国共产党章程》第七条` names an article of the group's materials; a
 * sentence copied from one passage quotes it; anything else is the secretary's own answer.
 */
export async function resolveAnswer(library: MaterialLibrary, answer: string, docs?: readonly string[]): Promise<ResolvedAnswer> {
  await library.ready()
  const documents = library.documents().filter((d) => !docs || docs.includes(d.doc))
  const article = ARTICLE.exec(answer.replace(/\s+/g, ''))
  if (article) {
    const [, docName, label] = article as unknown as [string, string, string]
    const named = documents.filter((d) => !docName || namesDocument(docName, d.title))
    if (!named.length) return { problem: `学习材料里没有《${docName}》。` }
    const found = named.map((d) => library.passages(d.doc).filter((p) => sameArticle(p, label))).filter((ps) => ps.length)
    if (!found.length) return { problem: `学习材料里没有找到${docName ? `《${docName}》` : ''}${label}。` }
    if (found.length > 1) {
      return { problem: `有几份材料都有${label}，请写上文件名，例如：${found.slice(0, 2).map((ps) => `《${ps[0]!.title}》${label}`).join('、')}。` }
    }
    const ps = found[0]!
    return { kind: 'passage', answer: ps.map((p) => p.text).join('\n'), citation: ps[0]!.citation, doc: ps[0]!.doc }
  }
  const quoted = squeeze(answer)
  if (quoted.length >= 8) {
    const holders = documents.flatMap((d) => library.passages(d.doc)).filter((p) => squeeze(p.text).includes(quoted))
    if (holders.length === 1) return { kind: 'passage', answer, citation: holders[0]!.citation, doc: holders[0]!.doc }
  }
  return { kind: 'text', answer }
}

function sameArticle(p: Passage, label: string): boolean {
  const want = matchForm(label)
  return p.headings.some((h) => matchForm(h) === want)
}

/** `党章` names 中国共产党章程 (a synonym), `政府工作报告` names 2024年政府工作报告 (a part of the title). */
function namesDocument(name: string, title: string): boolean {
  if (title.includes(name) || name.includes(title)) return true
  return builtInThesaurus().expand(name).some((t) => title.includes(t))
}

const squeeze = (s: string) => matchForm(s).replace(/[\s，。；：、！？“”‘’（）《》]/g, '')
