/**
 * One number per distinct term, so that terms kept for a long time cost 4 bytes each in an
 * Int32Array instead of a string and an array slot (the answer spans kept by search-index.ts).
 */
export interface TermIds {
  /** The term's number, given on first sight. */
  of(term: string): number
  /** The term's number if it has one; a question's terms are looked up this way, so questions never add to the table. */
  find(term: string): number | undefined
}

export function createTermIds(): TermIds {
  const ids = new Map<string, number>()
  return {
    of(term) {
      let id = ids.get(term)
      if (id === undefined) ids.set(term, id = ids.size)
      return id
    },
    find: (term) => ids.get(term),
  }
}

/** Whether the first `n` of sorted `ids` hold `id` (binary search). */
export function holdsId(ids: Int32Array, id: number, n = ids.length): boolean {
  let lo = 0
  let hi = n - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = ids[mid]!
    if (v === id) return true
    if (v < id) lo = mid + 1
    else hi = mid - 1
  }
  return false
}
