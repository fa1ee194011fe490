import type OpenAI from 'openai'
import { BLANK, type Question } from './types.ts'
import { answerForm } from './answer-form.ts'

const SYSTEM_PROMPT = `你是党支部学习群的出题助手。把用户给出的题干改写得更通顺、更像一道考题。
规则：
1. 必须保留且只保留一个“${BLANK}”，它的位置对应原来的空。
2. 不得出现答案，不得改变题意，不得添加材料中没有的内容，不要写选项。
3. 只输出改写后的题干，不超过原题干长度的 1.5 倍。`

/** Where the LLM lives and how long to wait for it. */
export interface PolishSettings {
  model: string
  timeoutMs: number
}

/**
 * Let the LLM reword a generated question's stem. The answer, options and citation stay as they
 * are; a reworded stem that lost or doubled the blank, gives the answer or an option away, or
 * wandered in length is dropped and the original kept. Throws on timeout and transport errors.
 */
export async function polishQuestion(client: OpenAI, settings: PolishSettings, q: Question): Promise<Question> {
  if (q.origin !== 'generated' || !q.stem.includes(BLANK)) return q
  const answer = q.type === 'single' ? q.options[q.answer.charCodeAt(0) - 65]! : q.answer
  const completion = await client.chat.completions.create({
    model: settings.model,
    temperature: 0,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: `题干：${q.stem}\n答案（不得出现在题干中）：${answer}` },
    ],
  }, { timeout: settings.timeoutMs, maxRetries: 0, signal: AbortSignal.timeout(settings.timeoutMs) })
  const stem = completion.choices[0]?.message?.content?.trim().replace(/^题干[：:]\s*/, '') ?? ''
  return usableStem(stem, q, answer) ? { ...q, stem } : q
}

function usableStem(stem: string, q: Question, answer: string): boolean {
  if (stem.split(BLANK).length !== 2) return false
  if (stem.length < q.stem.length * 0.5 || stem.length > q.stem.length * 1.5) return false
  const form = answerForm(stem.replace(BLANK, ''))
  return ![answer, ...q.options].some((o) => form.includes(answerForm(o)))
}
