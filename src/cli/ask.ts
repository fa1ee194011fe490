import { parseArgs } from 'node:util'
import readline from 'node:readline'
import { connectTarget, type Redis } from '../store/redis.ts'
import { hasExternalRedis } from '../config.ts'
import { createMaterialsDeps } from '../deps.ts'
import { openCliMaterials } from './library.ts'
import { argErrorText, runCommand } from './args.ts'
import { answerQuestion } from '../materials/answer-question.ts'
import { answerFromFaq } from '../taught/ask.ts'

const USAGE = `用法：studybot ask [--materials 目录] [--jsonl] ["问题"]
  给出问题时打印机器人的回复；不给问题时从标准输入逐行读取问题。
  --jsonl 每行输出一个 JSON：{"q","answered","text","sources":[{"doc","citation"}]}
  未配置 llm 时完全离线，不需要 Redis；配置了 llm 时，有 REDIS_URL 则按群计入每日额度。`

/** `studybot ask`: answer questions exactly as the bot would reply in chat. */
export function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(() => runBody(argv, env))
}

async function runBody(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values: { materials?: string; config?: string; jsonl?: boolean; help?: boolean }
  let positionals: string[]
  try {
    ({ values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: { materials: { type: 'string' }, config: { type: 'string' }, jsonl: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }))
  } catch (err) {
    process.stderr.write(`${argErrorText(err)}\n${USAGE}\n`)
    return 2
  }
  if (values.help) { process.stdout.write(`${USAGE}\n`); return 0 }
  const opened = await openCliMaterials(values, env)
  const { config, library, log } = opened
  for (const s of library.skipped()) process.stderr.write(`已跳过 ${s.doc}：${s.reason}\n`)

  let redis: Redis | undefined
  // the daily LLM budget lives in Redis; a one-off CLI run without REDIS_URL is not counted
  if (config.llm && hasExternalRedis(config.secrets)) {
    try {
      redis = await connectTarget(config.secrets.redis)
    } catch (err) {
      process.stderr.write(`${(err as Error).message}；本次不计入每日额度\n`)
    }
  }
  const deps = await createMaterialsDeps({ config, log, library, redis })
  const answer = async (q: string) => {
    // as in chat: the FAQ files of the folder first (taught answers live in Redis, per group)
    const reply = await answerQuestion(deps, { question: q, memberId: 'cli' }, { first: () => answerFromFaq(deps, q) })
    const r = 'limited' in reply ? { answered: false, text: reply.limited, sources: [] } : { answered: reply.answered, text: reply.text, sources: reply.sources }
    if (values.jsonl) process.stdout.write(`${JSON.stringify({ q, ...r })}\n`)
    else process.stdout.write(`${r.text}\n${positionals.length ? '' : '\n'}`)
  }
  try {
    if (positionals.length) await answer(positionals.join(' '))
    else for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) if (line.trim()) await answer(line.trim())
  } finally {
    deps.library.close()
    redis?.disconnect()
  }
  return 0
}
