import type { Ctx, Handler } from './context.ts'

/** Run handlers in order; each decides to handle the message or call next(). */
export function compose(handlers: readonly Handler[]): (ctx: Ctx) => Promise<void> {
  return (ctx) => {
    let last = -1
    const dispatch = async (i: number): Promise<void> => {
      if (i <= last) throw new Error('next() called multiple times')
      last = i
      const handler = handlers[i]
      if (handler) await handler(ctx, () => dispatch(i + 1))
    }
    return dispatch(0)
  }
}
