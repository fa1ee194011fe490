import type { Hit } from './types.ts'
import { builtInThesaurus } from './thesaurus.ts'

// a document named in a query: 《…》, or a name ending in a document type (…条例, …工作报告)
const NAMED = /《([^》]{2,40})》|([\u3400-\u9fff]{2,24}?(?:章程|条例|规定|办法|细则|准则|决定|决议|报告|意见|建议|纲要|规划|通知))/g
const bare = (title: string) => title.replace(/[（(][^）)]*[）)]/g, '').trim()

/**
 * Split a model's search queries into those that may be used and those that name a document the
 * materials do not hold: a rewrite that invents a document is dropped, so nothing it finds is cited.
 */
export function usableRewrites(queries: readonly string[], titles: readonly string[]): { kept: string[]; dropped: string[] } {
  const known = (name: string) => titles.some((t) => t.includes(name) || name.includes(bare(t)))
    || builtInThesaurus().expand(name).some((s) => titles.some((t) => t.includes(s)))
  const kept: string[] = []
  const dropped: string[] = []
  for (const q of queries) {
    const names = [...q.matchAll(NAMED)].map((m) => (m[1] ?? m[2])!)
    ;(names.every(known) ? kept : dropped).push(q)
  }
  return { kept, dropped }
}

/**
 * Fuse the question's own hits with those of its rewrites: each passage keeps the best score any
 * of the queries gave it (the scores share one scale, the share of a query found), ties go to the
 * passage more queries found. A rewrite in the documents' wording can so lift a colloquial
 * question over the answer threshold; a rewrite that named an unknown document never gets here
 * (usableRewrites).
 */
export function fuseHits(own: readonly Hit[], rewrites: readonly (readonly Hit[])[], k: number): Hit[] {
  if (!rewrites.length) return own.slice(0, k)
  const fused = new Map<string, { hit: Hit; found: number }>()
  for (const list of [own, ...rewrites]) {
    for (const hit of list) {
      const row = fused.get(hit.passage.id)
      if (!row) fused.set(hit.passage.id, { hit, found: 1 })
      else {
        row.found++
        if (hit.score > row.hit.score) row.hit = hit
      }
    }
  }
  return [...fused.values()].sort((a, b) => b.hit.score - a.hit.score || b.found - a.found).slice(0, k).map(({ hit }) => hit)
}
