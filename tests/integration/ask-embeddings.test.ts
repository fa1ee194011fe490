import http from 'node:http'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import { parseConfig } from '../../src/config.ts'
import { createManualClock } from '../../src/clock.ts'
import { createLibrary, type FolderLibrary } from '../../src/materials/library.ts'
import { withConfiguredRanking } from '../../src/materials/hybrid-search.ts'
import { createEmbedder } from '../../src/materials/embeddings.ts'
import { answerQuestion, type AskDeps } from '../../src/materials/answer-question.ts'
import type { Answer, MaterialLibrary } from '../../src/materials/types.ts'
import type { Redis } from '../../src/store/redis.ts'
import { createKeys, type Keys } from '../../src/store/keys.ts'
import { startTestRedis, testClient } from '../support/redis.ts'
import { captureLog } from '../support/deps.ts'

// A small OpenAI-compatible embeddings server. Its "model" knows a few concepts: words that mean
// the same (试用期 and 预备期, 转正 and 转为正式党员) land on the same dimension, so a paraphrase
// that shares no words with its passage is still close to it; other characters spread over
// hashed dimensions, so unrelated texts are not identical.
const CONCEPTS = [
  ['试用期', '转正', '预备期', '考察', '转为正式党员'],
  ['党费', '会费', '交纳'],
  ['学习'],
  ['权利', '表决权', '选举权'],
  ['入党', '发展党员', '介绍人'],
  ['宣誓', '党旗'],
]
const HASHED = 32
function conceptVector(text: string): number[] {
  const v = new Array<number>(CONCEPTS.length + HASHED).fill(0)
  CONCEPTS.forEach((words, dim) => { for (const w of words) v[dim]! += text.split(w).length - 1 })
  for (const ch of text) if (/\p{Script=Han}/u.test(ch)) v[CONCEPTS.length + (ch.codePointAt(0)! % HASHED)]! += 0.15
  return v
}

let mode: 'up' | 'down' | 'slow' = 'up'
/** Every text the server was asked to embed, one entry per request. */
const requests: string[][] = []
const server = http.createServer((req, res) => {
  let body = ''
  req.on('data', (c) => { body += c })
  req.on('end', () => {
    if (req.url !== '/v1/embeddings') { res.writeHead(404).end(); return }
    const json = JSON.parse(body || '{}') as { model: string; input: string[]; encoding_format: string }
    requests.push(json.input)
    if (mode === 'down') { res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}'); return }
    // slow: slower than any timeout (never answers), so the timeout test does not race the machine
    if (mode === 'slow') return
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({
      object: 'list', model: json.model, usage: { prompt_tokens: 0, total_tokens: 0 },
      data: json.input.map((t, index) => ({ object: 'embedding', index, embedding: conceptVector(t) })),
    }))
  })
})

const { log, lines: logs } = captureLog()
const materials = path.resolve(__dirname, '..', '..', 'materials')
let redisServer: Awaited<ReturnType<typeof startTestRedis>>
let redis: Redis
let keys: Keys
let baseURL: string
let lexical: FolderLibrary
const opened: MaterialLibrary[] = []

const PARAPHRASE = '新同志的试用期有多长？'

/** A generous timeout where the timeout is not under test: a busy machine still gets its vectors. */
function settings(timeoutMs = 60_000) {
  return parseConfig({
    groups: [{ topic: '学习一群' }], materials,
    llm: { baseURL, model: 'chat-model', embeddingModel: 'concept-embed', timeoutMs },
  }, path.join(materials, '..', 'config', 'studybot.yaml'), {})
}

/** The library as the bot builds it with `llm.embeddingModel` configured. */
function hybrid(timeoutMs?: number): MaterialLibrary {
  const config = settings(timeoutMs)
  const library = withConfiguredRanking(lexical, { config, llm: new OpenAI({ baseURL, apiKey: 'test' }), log, redis, keys })
  opened.push(library)
  return library
}

// The chat model is not under test: without deps.llm the reply is the extractive answer from the top hit.
const ask = (library: MaterialLibrary, question: string) => {
  const deps: AskDeps = { config: settings(), log, clock: createManualClock(Date.UTC(2026, 0, 5, 2)), library }
  return answerQuestion(deps, { question, memberId: 'm1' }) as Promise<Answer>
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  redisServer = await startTestRedis()
  ;({ redis, keys } = await testClient(redisServer))
  lexical = await createLibrary({ dir: materials, log })
})

afterAll(async () => {
  lexical?.close()
  redis?.disconnect()
  await redisServer?.stop()
  server.closeAllConnections()
  server.close()
})

beforeEach(() => {
  mode = 'up'
  requests.length = 0
  logs.length = 0
  keys = createKeys(`t${randomBytes(4).toString('hex')}`) // nothing cached by an earlier test
})

describe('hybrid lexical + vector ranking', () => {
  it('answers a paraphrase sharing no words with its passage only when embeddings are on', async () => {
    const without = await ask(lexical, PARAPHRASE)
    expect(without.answered).toBe(false)
    expect(requests).toHaveLength(0)

    const answer = await ask(hybrid(), PARAPHRASE)
    expect(answer.answered).toBe(true)
    expect(answer.text).toContain('预备党员的预备期为一年')
    expect(answer.sources[0]!.citation).toContain('第七条')
  })

  it('keeps lexical answers and refusals as they were', async () => {
    const library = hybrid()
    const direct = await ask(library, '预备党员的预备期是多久？')
    expect(direct.answered).toBe(true)
    expect(direct.sources[0]!.citation).toContain('第七条')
    const dues = await ask(library, '党费什么时候交？')
    expect(dues.text).toContain('十五日前')
    expect((await ask(library, '嫦娥五号是哪一年发射的？')).answered).toBe(false)
    // a pasted quiz question is ranked by its words alone: no question vector is requested
    const before = requests.flat().length
    const quiz = await ask(library, '预备党员的预备期为（ ）。A. 半年 B. 一年 C. 两年')
    expect(quiz.sources[0]!.citation).toContain('第七条')
    expect(requests.flat().slice(before).filter((t) => !t.startsWith('《'))).toEqual([])
  })

  it('embeds each passage once: a second instance reads the vectors from Redis', async () => {
    await ask(hybrid(), PARAPHRASE)
    const passagesEmbedded = requests.flat().filter((t) => t.startsWith('《')).length
    expect(passagesEmbedded).toBe(lexical.documents().reduce((n, d) => n + d.passages, 0))

    // a restart (or a second instance on the same Redis): nothing is requested for the same question
    requests.length = 0
    const again = await ask(hybrid(), PARAPHRASE)
    expect(again.sources[0]!.citation).toContain('第七条')
    expect(requests).toEqual([])

    // a new question: only the question itself is embedded
    await ask(hybrid(), '转正之前要考察多久？')
    expect(requests).toEqual([['转正之前要考察多久？']])
  })

  it('after the folder changes, embeds only the new passages', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-embed-'))
    try {
      fs.copyFileSync(path.join(materials, '党章.md'), path.join(dir, '党章.md'))
      const folder = await createLibrary({ dir, log })
      const library = withConfiguredRanking(folder, { config: settings(), llm: new OpenAI({ baseURL, apiKey: 'test' }), log, redis, keys })
      expect((await ask(library, PARAPHRASE)).sources[0]!.citation).toContain('第七条')

      requests.length = 0
      fs.writeFileSync(path.join(dir, '学习安排.md'), '# 学习安排\n\n## 一、党费\n\n党员每月交纳党费，交给党小组长。\n')
      await folder.reload()
      const dues = await ask(library, '每个月的会费交给谁？')
      expect(dues.sources[0]!.doc).toBe('学习安排.md')
      expect(requests.flat().filter((t) => t.startsWith('《'))).toEqual([expect.stringContaining('党员每月交纳党费')])
      library.close()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('sends texts in batches a small local server accepts', async () => {
    const texts = lexical.passages('党章.md').map((p) => p.text)
    const embedder = createEmbedder({ client: new OpenAI({ baseURL, apiKey: 'test' }), model: 'concept-embed', log, redis, keys, batchSize: 8 })
    const first = await embedder.embed(texts)
    expect(requests.map((r) => r.length)).toEqual([8, 8, 3])
    requests.length = 0
    expect(await embedder.embed(texts)).toEqual(first)
    expect(requests).toEqual([])
  })

  it('answers from the words alone, with a warning, when the embeddings endpoint fails or is slow', async () => {
    for (const m of ['down', 'slow'] as const) {
      mode = m
      logs.length = 0
      const library = hybrid(500)
      const answer = await ask(library, '预备党员的预备期是多久？')
      expect(answer.answered).toBe(true)
      expect(answer.text).toContain('预备党员的预备期为一年')
      expect(answer.sources[0]!.citation).toContain('第七条')
      expect(logs.some((l) => l.level === 40 && l.msg === 'vector ranking unavailable, lexical results')).toBe(true)
      // a paraphrase gets the honest not-found reply rather than an error
      expect((await ask(library, PARAPHRASE)).answered).toBe(false)
    }
  })
})
