import type { Deps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import type { MaterialLibrary, Passage } from '../materials/types.ts'
import { buildCorpus } from './corpus.ts'
import { generateQuestions } from './generate.ts'
import type { Question } from './types.ts'

/** Generated questions of one set of documents, made as far as asked for and kept until the files change. */
interface Generated {
  arrays: Passage[][]
  list: Question[]
  more: Iterator<Question>
}

const generatedByLibrary = new WeakMap<MaterialLibrary, Map<string, Generated>>()

/** The documents a group's questions come from: its own subset, else every document. */
function groupDocs(library: MaterialLibrary, group: GroupConfig): string[] {
  return group.materials?.length ? [...group.materials] : library.documents().map((d) => d.doc)
}

/**
 * The generated questions of a group's documents in round order. Analysing the materials takes
 * about half a second for the 11 shared documents, so it happens once per library version
 * (a reload gives new passage arrays) and groups with the same documents share it.
 */
function generated(library: MaterialLibrary, group: GroupConfig): Generated {
  const docs = groupDocs(library, group)
  const arrays = docs.map((d) => library.passages(d))
  const byDocs = generatedByLibrary.get(library) ?? generatedByLibrary.set(library, new Map()).get(library)!
  const key = docs.join('\n')
  const cached = byDocs.get(key)
  if (cached && cached.arrays.length === arrays.length && cached.arrays.every((a, i) => a === arrays[i])) return cached
  const fresh: Generated = { arrays, list: [], more: generateQuestions(buildCorpus(arrays.flat()))[Symbol.iterator]() }
  byDocs.set(key, fresh)
  return fresh
}

/** Questions in the order rounds take them: the group's bank in import order, then generated ones. */
async function* candidates(deps: Pick<Deps, 'library' | 'stores'>, group: GroupConfig): AsyncGenerator<Question> {
  yield* await deps.stores.quiz.bank(group.key)
  // the bot's library loads on first need (src/materials/deferred-library.ts)
  await deps.library.ready()
  const g = generated(deps.library, group)
  for (let i = 0; ; i++) {
    if (i >= g.list.length) {
      const next = g.more.next()
      if (next.done) return
      g.list.push(next.value)
    }
    yield g.list[i]!
  }
}

/** The next `n` questions a round would ask, without taking them. */
export async function upcomingQuestions(deps: Pick<Deps, 'library' | 'stores'>, group: GroupConfig, n: number): Promise<Question[]> {
  const { used, banned } = await deps.stores.quiz.spent(group.key)
  const out: Question[] = []
  for await (const q of candidates(deps, group)) {
    if (out.length >= n) break
    if (!used.has(q.id) && !banned.has(q.id)) out.push(q)
  }
  return out
}

/** Take the next `n` questions for a round; each is taken by one caller only, even across instances. */
export async function takeQuestions(deps: Pick<Deps, 'library' | 'stores'>, group: GroupConfig, n: number): Promise<Question[]> {
  const { used, banned } = await deps.stores.quiz.spent(group.key)
  const out: Question[] = []
  for await (const q of candidates(deps, group)) {
    if (out.length >= n) break
    if (used.has(q.id) || banned.has(q.id)) continue
    if (await deps.stores.quiz.markUsed(group.key, q.id)) out.push(q)
  }
  return out
}

/** Find a question the group could be asked (bank or generated) by id, among the next `depth`. */
export async function findUpcoming(deps: Pick<Deps, 'library' | 'stores'>, group: GroupConfig, id: string, depth = 50): Promise<Question | undefined> {
  return (await upcomingQuestions(deps, group, depth)).find((q) => q.id === id)
}
