/**
 * The shared question sets (../shared/eval) and their fixed halves, for bench/qa.ts and
 * bench/fit-answerability.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { matchForm } from '../src/materials/tokenize.ts'
import type { Passage } from '../src/materials/types.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
export const shared = path.resolve(here, '..', '..', 'shared')
export const materialsDir = path.join(shared, 'materials')

export interface Item { id: string; q: string; a: string; doc: string | null; alt_docs: string[]; origin: string; evidence: string | null; kind?: string }
const readJsonl = (f: string): Item[] => fs.readFileSync(path.join(shared, 'eval', f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
export const devAll = readJsonl('qa-dev.jsonl')
export const unanswerableAll = readJsonl('qa-dev-unanswerable.jsonl')
/** qa-colloquial in the same shape: also_in are the other files holding the answer; kind 'unanswerable' has no answer. */
export const colloquialAll: Item[] = readJsonl('qa-colloquial.jsonl').map((i: any) => ({ ...i, alt_docs: i.also_in ?? [], origin: 'colloquial' }))

// Two fixed halves by a hash of the item id: ranking parameters, thresholds and the answerability
// model are chosen on the tuning half; the held-out half shows whether a choice generalises
// (acceptance also uses unseen questions, so a change that only helps the tuning half is not kept).
export type Half = 'all' | 'tune' | 'held-out'
const fnv1a = (s: string) => { let h = 0x811c9dc5; for (const b of Buffer.from(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0; return h }
export const inHalf = (half: Half) => (i: Item) => half === 'all' || (fnv1a(i.id) % 2 === 0) === (half === 'tune')

export const flat = (s: string) => matchForm(s).replace(/[\s，。、；：“”（）《》,.;:()]/g, '')

// A hit is a passage from the gold doc or an alt doc containing the answer string. Quiz answers
// are written as "C：甲；乙" or "净化、完善": every part must be in the passage. When no passage of
// those docs contains the answer in any form (negation questions, reworded answers), the passage
// holding the start of the gold evidence paragraph counts instead.
export function isHit(item: Item, p: Passage, answerIn: (p: Passage) => boolean): boolean {
  return (p.doc === item.doc || item.alt_docs.includes(p.doc)) && answerIn(p)
}
export function answerTest(item: Item, passages: readonly Passage[]): (p: Passage) => boolean {
  if (item.origin === 'colloquial') { const a = flat(item.a); return (p) => flat(p.text).includes(a) }
  const parts = item.a.replace(/^[A-H]+[：:]/, '').split(/[；;、，,]/).map(flat).filter(Boolean)
  const contains = (p: Passage) => { const t = flat(p.text); return parts.every((x) => t.includes(x)) }
  const gold = passages.filter((p) => p.doc === item.doc || item.alt_docs.includes(p.doc))
  if (gold.some(contains) || !item.evidence) return contains
  const start = flat(item.evidence).slice(0, 30)
  return (p) => flat(p.text).includes(start) || start.includes(flat(p.text).slice(0, 30))
}
/** Whether an item's question is one the materials answer. */
export const answerable = (i: Item) => i.kind !== 'unanswerable' && i.a !== null && i.doc !== null
