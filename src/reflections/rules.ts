import { createHash } from 'node:crypto'

/** A reflection id derived from the message id, so a redelivered message is stored once. */
export function reflectionIdFor(messageId: string): string {
  return `r${createHash('sha1').update(messageId).digest('hex').slice(0, 16)}`
}

/** Chinese reply when a text is outside the configured length limits, else undefined. */
export function lengthProblem(chars: number, limits: { minChars: number; maxChars: number }): string | undefined {
  if (chars < limits.minChars) return `你的心得只有 ${chars} 字，至少需要 ${limits.minChars} 字，请补充后再发送。`
  if (chars > limits.maxChars) return `你的心得有 ${chars} 字，超过了 ${limits.maxChars} 字的上限，请精简后再发送。`
  return undefined
}
