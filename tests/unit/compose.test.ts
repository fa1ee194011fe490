import { describe, expect, it } from 'vitest'
import { compose } from '../../src/bot/compose.ts'
import type { Ctx, Handler } from '../../src/bot/context.ts'
import { commandArgs } from '../../src/bot/context.ts'

const ctx = {} as Ctx

describe('compose', () => {
  it('runs handlers in order until one does not call next', async () => {
    const seen: string[] = []
    const a: Handler = async (_c, next) => { seen.push('a'); await next() }
    const b: Handler = async () => { seen.push('b') }
    const c: Handler = async () => { seen.push('c') }
    await compose([a, b, c])(ctx)
    expect(seen).toEqual(['a', 'b'])
  })

  it('refuses next() called twice', async () => {
    const twice: Handler = async (_c, next) => { await next(); await next() }
    await expect(compose([twice, async () => {}])(ctx)).rejects.toThrow(/multiple/)
  })

  it('passes errors from any handler to the caller', async () => {
    const boom: Handler = async () => { throw new Error('boom') }
    await expect(compose([async (_c, next) => next(), boom])(ctx)).rejects.toThrow('boom')
  })
})

describe('commandArgs', () => {
  it('reads #命令 with and without a space, full-width ＃ too', () => {
    expect(commandArgs('#心得 今天学习了党章', '心得')).toBe('今天学习了党章')
    expect(commandArgs('＃心得  第二段', '心得')).toBe('第二段')
    expect(commandArgs('#心得今天学习', '心得')).toBe('今天学习')
    expect(commandArgs('#帮助', '帮助')).toBe('')
    expect(commandArgs('心得 内容', '心得')).toBeUndefined()
    expect(commandArgs('#修改心得 新内容', '心得')).toBeUndefined()
    // no space after the name, and content with spaces and line breaks
    expect(commandArgs('#心得今天学习了党章第一章。\n我认为 要带头。', '心得')).toBe('今天学习了党章第一章。\n我认为 要带头。')
    expect(commandArgs('#心得体会 今天', '心得体会', '心得')).toBe('今天')
    expect(commandArgs('#定时添加 每天 08:00 学习', '定时')).toBe('添加 每天 08:00 学习')
  })
})
