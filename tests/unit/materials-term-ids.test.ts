import { describe, expect, it } from 'vitest'
import { createTermIds, holdsId } from '../../src/materials/term-ids.ts'

describe('term numbers', () => {
  it('gives each distinct term one number, and looking a term up does not add it', () => {
    const ids = createTermIds()
    const a = ids.of('党员')
    expect(ids.of('w:党员')).not.toBe(a)
    expect(ids.of('党员')).toBe(a)
    expect(ids.find('党员')).toBe(a)
    expect(ids.find('支部')).toBeUndefined()
    expect(ids.find('支部')).toBeUndefined()
    expect(ids.of('支部')).toBe(2)
  })

  it('finds a number in a sorted list, or in its first n numbers', () => {
    const list = Int32Array.from([2, 3, 5, 8, 13])
    expect([1, 2, 5, 13, 14].map((id) => holdsId(list, id))).toEqual([false, true, true, true, false])
    expect(holdsId(new Int32Array(0), 0)).toBe(false)
    // a list with room left after its first n numbers
    const growing = Int32Array.from([2, 3, 5, 0, 0])
    expect([5, 0].map((id) => holdsId(growing, id, 3))).toEqual([true, false])
  })
})
