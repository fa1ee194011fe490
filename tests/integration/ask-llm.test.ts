import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import pino from 'pino'
import { parseConfig } from '../../src/config.ts'
import { createManualClock } from '../../src/clock.ts'
import { createLibrary, type FolderLibrary } from '../../src/materials/library.ts'
import { answerQuestion } from '../../src/materials/answer-question.ts'
import type { Deps } from '../../src/deps.ts'
import { testDeps } from '../support/deps.ts'
import type { Answer } from '../../src/materials/types.ts'
import { startTestRedis, testClient } from '../support/redis.ts'

// A small OpenAI-compatible server: each test sets what the "model" replies, or that it never
// answers (a model slower than any timeout: the timeout test does not race the machine's speed).
let reply: { content: string; hang?: boolean } = { content: '' }
const requests: { messages: { role: string; content: string }[] }[] = []
const server = http.createServer((req, res) => {
  let body = ''
  req.on('data', (c) => { body += c })
  req.on('end', () => {
    const json = JSON.parse(body || '{}')
    if (req.url === '/v1/chat/completions') {
      requests.push(json)
      if (reply.hang) return // answers nothing; the client gives up at its timeout
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({
        id: 'c1', object: 'chat.completion', created: 0, model: json.model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.content }, finish_reason: 'stop' }],
      }))
    } else {
      res.writeHead(404).end()
    }
  })
})

const log = pino({ level: 'silent' })
let redisServer: Awaited<ReturnType<typeof startTestRedis>>
let library: FolderLibrary
let deps: Deps
/** The same, with a short LLM timeout: only for the test of that timeout. */
let impatientDeps: Deps
const group = { topic: '学习一群', key: '学习一群', secretaries: [], organizers: [], exclude: [] }

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  redisServer = await startTestRedis()
  const { redis, keys } = await testClient(redisServer)
  const materials = path.resolve(__dirname, '..', '..', 'materials')
  // a generous timeout where the timeout is not under test: a busy machine still gets the answer
  const configWith = (timeoutMs: number) => parseConfig({
    groups: [{ topic: '学习一群' }], materials,
    ask: { perMemberPerMinute: 3, answerChars: 300 },
    llm: { baseURL, model: 'test-model', timeoutMs, dailyBudget: 100 },
  }, path.join(materials, '..', 'config', 'studybot.yaml'), {})
  library = await createLibrary({ dir: materials, log })
  const clock = createManualClock(Date.UTC(2026, 0, 5, 2))
  ;({ deps } = await testDeps({ config: configWith(60_000), redis, keys, clock, library, llm: new OpenAI({ baseURL, apiKey: 'test' }) }))
  ;({ deps: impatientDeps } = await testDeps({ config: configWith(1000), redis, keys, clock, library, llm: new OpenAI({ baseURL, apiKey: 'test' }) }))
})

afterAll(async () => {
  library?.close()
  deps?.redis?.disconnect()
  await redisServer?.stop()
  server.close()
})

let member = 0
beforeEach(() => { member++ })
const ask = async (question: string, d = deps) => answerQuestion(d, { question, group, memberId: `m${member}` }) as Promise<Answer>

describe('answers with an LLM configured', () => {
  it('keeps a grounded answer and shows the citation it names', async () => {
    reply = { content: '预备党员的预备期为一年[1]。' }
    const answer = await ask('预备党员的预备期是多久？')
    expect(answer.answered).toBe(true)
    expect(answer.text).toContain('预备党员的预备期为一年[1]。')
    expect(answer.text).toContain('——[1]《中国共产党章程》第一章 党员 第七条')
    const prompt = requests.at(-1)!.messages
    expect(prompt[0]!.content).toContain('不得使用材料以外的任何知识')
    expect(prompt[1]!.content).toContain('[1] 《中国共产党章程》第一章 党员 第七条')
  })

  it('falls back to the extractive answer when the LLM is too slow', async () => {
    reply = { content: '预备期为一年[1]。', hang: true }
    const answer = await ask('预备党员的预备期是多久？', impatientDeps)
    expect(answer.text).not.toContain('[1]')
    expect(answer.text).toContain('第七条 预备党员的预备期为一年。')
    expect(answer.text).toContain('——《中国共产党章程》第一章 党员 第七条')
  })

  it('falls back when the LLM answer cites nothing, or cites a passage it was not given', async () => {
    for (const content of ['预备期是一年。', '预备期是一年[9]。']) {
      reply = { content }
      const answer = await ask('预备党员的预备期是多久？')
      expect(answer.text).not.toContain(content)
      expect(answer.text).toContain('——《中国共产党章程》第一章 党员 第七条')
    }
  })

  it('does not call the LLM for a question the materials do not cover', async () => {
    const before = requests.length
    const answer = await ask('嫦娥五号是哪一年发射的？')
    expect(answer.answered).toBe(false)
    expect(answer.text).toContain('没有找到')
    expect(requests.length).toBe(before)
  })

  it('asks a member who asks too often to wait, politely', async () => {
    reply = { content: '预备党员的预备期为一年[1]。' }
    for (let i = 0; i < 3; i++) expect('limited' in await ask('党费什么时候交？')).toBe(false)
    const limited = await answerQuestion(deps, { question: '党费什么时候交？', group, memberId: `m${member}` })
    expect(limited).toEqual({ limited: expect.stringContaining('请稍等') })
  })
})
