import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import pino from 'pino'
import { createManualClock, zonedToEpoch } from '../../src/clock.ts'
import { createLibrary, type FolderLibrary } from '../../src/materials/library.ts'
import { polishQuestion } from '../../src/quiz/polish.ts'
import { fireQuiz } from '../../src/quiz/quiz-schedule.ts'
import { allSchedules } from '../../src/schedules/definitions.ts'
import { BLANK, type Question } from '../../src/quiz/types.ts'
import { startTestRedis, testClient } from '../support/redis.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import { scheduleConfig } from '../support/schedule-config.ts'
import { testDeps } from '../support/deps.ts'

// A small OpenAI-compatible server: each test sets what the "model" replies.
let reply = ''
const prompts: string[] = []
const server = http.createServer((req, res) => {
  let body = ''
  req.on('data', (c) => { body += c })
  req.on('end', () => {
    const json = JSON.parse(body || '{}')
    prompts.push(json.messages?.at(-1)?.content ?? '')
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({
      id: 'c1', object: 'chat.completion', created: 0, model: json.model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
    }))
  })
})
let baseURL: string
let client: OpenAI
let redisServer: Awaited<ReturnType<typeof startTestRedis>>
let library: FolderLibrary
const settings = { model: 'test-model', timeoutMs: 20_000 }

const q: Question = {
  id: 'g1', origin: 'generated', type: 'fill', stem: `预备党员的预备期为${BLANK}。`, options: [], answer: '一年',
  citation: '《中国共产党章程》第一章 党员 第七条', explanation: '预备党员的预备期为一年。',
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  client = new OpenAI({ baseURL, apiKey: 'test', maxRetries: 0 })
  redisServer = await startTestRedis()
  library = await createLibrary({ dir: path.resolve(__dirname, '..', '..', 'materials'), log: pino({ level: 'silent' }) })
})
afterAll(async () => {
  library?.close()
  await redisServer?.stop()
  await new Promise((r) => server.close(r))
})

describe('polishing generated questions with an LLM', () => {
  it('takes a reworded stem, and keeps the answer, options and citation', async () => {
    reply = `按照党章规定，预备党员的预备期是${BLANK}。`
    const polished = await polishQuestion(client, settings, q)
    expect(polished.stem).toBe(reply)
    expect(polished).toMatchObject({ answer: '一年', citation: q.citation, explanation: q.explanation })
    expect(prompts.at(-1)).toContain('答案（不得出现在题干中）：一年')
  })

  it('drops a rewording that gives the answer away, loses the blank, or doubles it', async () => {
    for (const bad of [`预备党员的预备期为${BLANK}，即1年。`, '预备党员的预备期是多久？', `${BLANK}预备党员的预备期为${BLANK}。`]) {
      reply = bad
      expect((await polishQuestion(client, settings, q)).stem).toBe(q.stem)
    }
  })

  it('posts the polished stem in a round, while the answer stays the blanked span of the cited passage', async () => {
    const config = scheduleConfig([{ id: 'daily', group: '第一党支部学习群', cron: '0 9 29 2 *', kind: 'quiz' }], {
      materials: path.resolve(__dirname, '..', '..', 'materials'),
      llm: { baseURL, model: 'test-model', timeoutMs: 20_000, dailyBudget: 10 },
    })
    const { redis, keys } = await testClient(redisServer)
    const { deps } = await testDeps({ config, redis, keys, clock: createManualClock(zonedToEpoch('2028-02-29', '09:00', 'Asia/Shanghai')), library, llm: client })
    const [def] = await allSchedules(config, deps.stores.schedules)
    reply = `党章规定：年满${BLANK}的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，承认党的纲领和章程，愿意参加党的一个组织并在其中积极工作、执行党的决议和按期交纳党费的，都可以申请入党。`
    const m = createRecordingMessenger()
    const sent: string[] = []
    await fireQuiz(deps, m, def!, config.groups[0]!, deps.clock.now(), async (text) => { sent.push(text) })
    const round = (await deps.stores.quiz.currentRound(config.groups[0]!.key, deps.clock.now()))!
    const [asked] = round.questions
    expect(sent[0]).toContain(reply)
    expect(asked!.stem).toBe(reply)
    const passage = library.passages(asked!.source!.doc).find((p) => p.id === asked!.source!.passageId)!
    expect(passage.text.slice(asked!.source!.start, asked!.source!.end)).toBe(asked!.answer)
    redis.disconnect()
  })
})
