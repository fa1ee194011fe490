import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { splitText } from '../../src/bot/split-text.ts'

const bytes = (s: string) => Buffer.byteLength(s, 'utf8')

describe('splitText', () => {
  it('keeps a short reply whole', () => {
    expect(splitText('预备党员的预备期为一年。', 2000)).toEqual(['预备党员的预备期为一年。'])
  })

  it('splits at paragraph breaks before sentence ends', () => {
    const para = '党员必须履行下列义务。'.repeat(30)
    const parts = splitText(`${para}\n${para}\n${para}`, 1000)
    expect(parts.length).toBeGreaterThan(1)
    for (const p of parts) expect(p.endsWith('。')).toBe(true)
  })

  it('never exceeds the byte limit and loses no characters', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.integer({ min: 200, max: 2048 }), (text, max) => {
      const parts = splitText(text, max)
      for (const p of parts) expect(bytes(p)).toBeLessThanOrEqual(max)
      expect(parts.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''))
    }), { numRuns: 300 })
  })
})

describe('splitText at the webhook limits', () => {
  it('keeps short text whole and cuts long text at sentence ends within the byte limit', () => {
    expect(splitText('短消息', 2048)).toEqual(['短消息'])
    const text = '这是一句话。'.repeat(200)
    const parts = splitText(text, 100)
    expect(parts.every((p) => Buffer.byteLength(p) <= 100 && p.endsWith('。'))).toBe(true)
    expect(parts.join('')).toBe(text)
  })

  it('cuts between characters when a sentence alone is too long, never inside an emoji', () => {
    const text = '😀'.repeat(100)
    const parts = splitText(text, 30)
    expect(parts.every((p) => Buffer.byteLength(p) <= 30)).toBe(true)
    expect(parts.join('')).toBe(text)
  })
})
