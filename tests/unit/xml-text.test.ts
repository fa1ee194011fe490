import { describe, expect, it } from 'vitest'
import { xmlRow, xmlSafe } from '../../src/export/xml-text.ts'

describe('cells for the xlsx sheet XML', () => {
  it('drops every character XML 1.0 forbids and keeps the rest, emoji included', () => {
    expect(xmlSafe('学\u0000习\u0001\u0008\u000B\u000C\u000E\u001F\uFFFE\uFFFF心得')).toBe('学习心得')
    expect(xmlSafe('换行\n回车\r制表\t保留')).toBe('换行\n回车\r制表\t保留')
    // a lone surrogate half is not a character at all; a pair (an emoji) is one
    expect(xmlSafe('前\uD800后\uDC00完')).toBe('前后完')
    expect(xmlSafe('点赞👍')).toBe('点赞👍')
    expect(xmlRow(['\uFFFE标题', 42])).toEqual(['标题', 42])
  })
})
