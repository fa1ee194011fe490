/** A step in a chain: handle `c`, or call next() to pass it on (grammY / Hono style). */
export type Middleware<C> = (c: C, next: () => Promise<void>) => Promise<void>

/** Run steps in order; each decides to handle the message or call next(). */
export function compose<C>(steps: readonly Middleware<C>[]): (c: C) => Promise<void> {
  return (c) => {
    let last = -1
    const dispatch = async (i: number): Promise<void> => {
      if (i <= last) throw new Error('next() called multiple times')
      last = i
      const step = steps[i]
      if (step) await step(c, () => dispatch(i + 1))
    }
    return dispatch(0)
  }
}
