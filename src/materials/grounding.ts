import type { Hit } from './types.ts'
import { matchForm, sharedJieba } from './tokenize.ts'

/**
 * Words a model uses around what the materials say without adding to it (根据材料, 规定, 因此):
 * they need not occur in the cited passage. Everything else of two or more characters must.
 */
const FRAME_WORDS = new Set([
  '根据', '依据', '按照', '材料', '学习', '学习材料', '规定', '明确', '指出', '提出', '表示', '强调', '说明', '要求',
  '可以', '需要', '应该', '就是', '也就是', '所以', '因此', '其中', '包括', '主要', '以下', '如下', '方面',
  '问题', '回答', '答案', '内容', '相关', '具体', '一般', '同时', '另外', '此外', '以及', '并且', '而且',
  '或者', '还有', '这个', '这些', '那么', '总之', '综上', '上述', '第一', '第二', '第三', '首先', '其次', '最后',
])

/** Lines the model may not write: the bot writes every citation line itself. */
const CITATION_LINE = /^\s*(?:[—–-]{1,2}|[(（]?(?:出处|来源|引用|参考|依据)[:：])/

/** Why a model reply cannot be sent, or the text to send (without the model's own citation lines). */
export type GroundingResult = { ok: true; text: string; cited: number[] } | { ok: false; reason: string }

/**
 * Keep the model's text only if it stays inside the passages it was given: every sentence that
 * cites `[n]` has all its content words and every number in passage n (or the passages it cites),
 * an uncited sentence has no number and no word found in none of them, every 《title》 it names is one of the
 * given documents, and at least one sentence cites. Lines that look like citations, and a "——…" tail of a line, are dropped;
 * the bot adds the real ones. Instructions hidden in a material cannot change these rules, which
 * run on the reply, not in the prompt.
 */
export function groundAnswer(reply: string, hits: readonly Hit[]): GroundingResult {
  const lines = reply.split('\n').filter((l) => l.trim() && !CITATION_LINE.test(l))
  // a citation the model wrote at the end of a line (…。——《…》第X条) goes the same way
  const text = lines.map((l) => l.replace(/\s*[—–]{2}.*$/, '')).join('\n').trim()
  if (!text) return { ok: false, reason: 'empty' }
  const titles = new Set(hits.map((h) => h.passage.title))
  for (const m of text.matchAll(/《([^》]+)》/g)) if (!titles.has(m[1]!)) return { ok: false, reason: `names a document not given: ${m[1]}` }
  const all = hits.map((h) => support(h))
  const cited = new Set<number>()
  for (const sentence of text.match(/[^。！？；!?;\n]+[。！？；!?;]*(?:\s*\[\d+\])*/g) ?? []) {
    const refs = [...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))
    if (refs.some((n) => n < 1 || n > hits.length)) return { ok: false, reason: 'cites a passage not given' }
    const body = sentence.replace(/\[\d+\]/g, '')
    const words = contentWords(body)
    const numbers = numbersIn(body)
    if (!words.length && !numbers.length) continue
    if (!refs.length && numbers.length) return { ok: false, reason: `uncited sentence with a number: ${numbers[0]}` }
    const against = refs.length ? refs.map((n) => all[n - 1]!) : all
    const missingWord = words.find((w) => !against.some((s) => s.text.includes(w)))
    const missingNumber = numbers.find((n) => !against.some((s) => s.numbers.has(n)))
    if (missingWord || missingNumber) {
      return { ok: false, reason: `${refs.length ? 'cited' : 'uncited'} sentence not supported: ${missingWord ?? missingNumber}` }
    }
    for (const n of refs) cited.add(n)
  }
  if (!cited.size) return { ok: false, reason: 'cites nothing' }
  return { ok: true, text, cited: [...cited].sort((a, b) => a - b) }
}

function support(h: Hit): { text: string; numbers: Set<string> } {
  const text = matchForm(`${h.passage.citation}\n${h.passage.text}`)
  return { text, numbers: new Set(numbersIn(text)) }
}

function contentWords(sentence: string): string[] {
  const out: string[] = []
  for (const run of matchForm(sentence).match(/[\u3400-\u9fff]+/g) ?? []) {
    for (const w of sharedJieba().cut(run, true)) if (w.length >= 2 && !FRAME_WORDS.has(w)) out.push(w)
  }
  return out
}

function numbersIn(s: string): string[] {
  return matchForm(s).match(/\d+(?:\.\d+)?/g) ?? []
}
