import { parseArgs } from 'node:util'
import readline from 'node:readline'
import { openCliMaterials } from './library.ts'
import { argErrorText, runCommand } from './args.ts'

const USAGE = `用法：studybot search [--materials 目录] [--k 条数] [--jsonl] [问题]
  不给问题时从标准输入逐行读取问题；--jsonl 每行输出一个 JSON：{"q","hits":[{"doc","citation","text","score"}]}`

/** `studybot search`: rank passages of the materials for each question. */
export function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(() => runBody(argv, env))
}

async function runBody(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values: { materials?: string; config?: string; k?: string; jsonl?: boolean; help?: boolean }
  let positionals: string[]
  try {
    ({ values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: { materials: { type: 'string' }, config: { type: 'string' }, k: { type: 'string', default: '5' }, jsonl: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }))
  } catch (err) {
    process.stderr.write(`${argErrorText(err)}\n${USAGE}\n`)
    return 2
  }
  if (values.help) { process.stdout.write(`${USAGE}\n`); return 0 }
  const k = Number(values.k)
  if (!Number.isInteger(k) || k < 1) { process.stderr.write(`--k 应为正整数\n${USAGE}\n`); return 2 }
  const opened = await openCliMaterials(values, env)
  const { library } = opened
  for (const s of library.skipped()) process.stderr.write(`已跳过 ${s.doc}：${s.reason}\n`)
  const answer = async (q: string) => {
    const hits = await library.search(q, { k })
    if (values.jsonl) {
      process.stdout.write(`${JSON.stringify({ q, hits: hits.map((h) => ({ doc: h.passage.doc, citation: h.passage.citation, text: h.passage.text, score: Number(h.score.toFixed(4)) })) })}\n`)
    } else {
      process.stdout.write(`问：${q}\n${hits.length ? hits.map((h, i) => `${i + 1}. [${h.score.toFixed(2)}] ${h.passage.citation}\n   ${h.passage.text.slice(0, 80).replace(/\n/g, ' ')}`).join('\n') : '（没有匹配的段落）'}\n\n`)
    }
  }
  try {
    if (positionals.length) await answer(positionals.join(' '))
    else for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) if (line.trim()) await answer(line.trim())
  } finally {
    library.close()
  }
  return 0
}
