import type OpenAI from 'openai'
import type { Answer, Hit } from './types.ts'

const SYSTEM_PROMPT = `你是党支部学习群的学习助手，只能依据用户消息中编号的学习材料回答问题。
规则：
1. 只使用这些材料中的内容，不得使用材料以外的任何知识，不得推测或编造。
2. 每一句结论后用方括号标注所依据材料的编号，如 [1] 或 [1][2]；编号只能是给出的材料编号。
3. 材料不能回答问题时，只回复：材料中没有相关内容。
4. 用简体中文，简洁作答，不超过 300 字。`

/** Where the LLM lives and how long to wait for it. */
export interface LlmSettings {
  model: string
  timeoutMs: number
}

/**
 * Ask the LLM to answer from the retrieved passages only. Returns undefined when its reply cannot
 * be used: it cites nothing, cites a passage that was not given, or says the materials do not cover
 * it. Throws on timeout and transport errors; the caller falls back to the extractive answer.
 */
export async function llmAnswer(client: OpenAI, settings: LlmSettings, question: string, hits: readonly Hit[]): Promise<Answer | undefined> {
  const materials = hits.map((h, i) => `[${i + 1}] ${h.passage.citation}\n${h.passage.text}`).join('\n\n')
  const completion = await client.chat.completions.create({
    model: settings.model,
    temperature: 0,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: `学习材料：\n${materials}\n\n问题：${question}` },
    ],
  }, { timeout: settings.timeoutMs, maxRetries: 0, signal: AbortSignal.timeout(settings.timeoutMs) })
  const text = completion.choices[0]?.message?.content?.trim()
  if (!text || text.includes('材料中没有相关内容')) return undefined
  const cited = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))
  if (!cited.length || cited.some((n) => n < 1 || n > hits.length)) return undefined
  const used = [...new Set(cited)].sort((a, b) => a - b)
  const lines = used.map((n) => `——[${n}]${hits[n - 1]!.passage.citation}`)
  return {
    answered: true,
    text: `${text}\n${lines.join('\n')}`,
    sources: used.map((n) => ({ doc: hits[n - 1]!.passage.doc, citation: hits[n - 1]!.passage.citation })),
  }
}
