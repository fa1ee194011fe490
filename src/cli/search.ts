import { parseArgs } from 'node:util'
import readline from 'node:readline'
import { openCliMaterials } from './library.ts'
import { argErrorText, runCommand } from './args.ts'
import type { Hit, StageScore } from '../materials/types.ts'
import type { ParsedQuestion } from '../materials/question.ts'

const TYPE_NAMES = { age: '年龄', duration: '期限', count: '数量', percentage: '比例', amount: '金额', date: '日期', list: '列举', procedure: '程序', definition: '含义' } as const

/** How the question was read: the words searched, the answer type, the documents it names. */
function explainHead(p: ParsedQuestion): string {
  return [
    `检索词：${p.text}${p.expansions.length ? `（另查：${p.expansions.join('、')}）` : ''}`,
    `所问类型：${p.answerType ? TYPE_NAMES[p.answerType] : '未识别'}${p.quiz ? '（题目原句）' : ''}`,
    ...(p.docHints.length ? [`点名文件：${p.docHints.join('、')}${p.years.length ? `（${p.years.join('、')}年）` : ''}`] : []),
  ].join('\n') + '\n'
}

const USAGE = `用法：studybot search [--materials 目录] [--k 条数] [--jsonl] [--explain] [问题]
  不给问题时从标准输入逐行读取问题；--jsonl 每行输出一个 JSON：{"q","hits":[{"doc","citation","text","score"}]}
  --explain 列出每条结果在各排序阶段的得分，以及选出的答案句`

/** What each ranking stage is called in --explain output. */
const STAGE_NAMES: Record<StageScore['stage'], string> = {
  bm25: '词项匹配（BM25F，占提问自身得分的比例）',
  coordination: '提问词覆盖率',
  docPrior: '所在文件整体相关度',
  namedDoc: '提问点名的文件',
  phrase: '原文短语覆盖',
  blanks: '填空前后文对齐',
  definition: '含所问对象的定义句',
  span: '最佳答案句覆盖',
  vector: '语义相似度',
}

function explainLines(hit: Hit): string[] {
  const lines = (hit.stages ?? []).map((s) => `   · ${STAGE_NAMES[s.stage]}：${s.value.toFixed(2)} → 得分 ${s.score.toFixed(3)}`)
  if (hit.span) lines.push(`   · 答案句（覆盖 ${hit.span.coverage.toFixed(2)}${hit.span.typeFound ? '，含所问类型' : ''}）：${hit.span.text}`)
  return lines
}

/** `studybot search`: rank passages of the materials for each question. */
export function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(() => runBody(argv, env))
}

async function runBody(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values: { materials?: string; config?: string; k?: string; jsonl?: boolean; explain?: boolean; help?: boolean }
  let positionals: string[]
  try {
    ({ values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: { materials: { type: 'string' }, config: { type: 'string' }, k: { type: 'string', default: '5' }, jsonl: { type: 'boolean' }, explain: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
    const parsed = library.parse(q)
    const hits = await library.search(parsed, { k, explain: values.explain })
    if (values.jsonl) {
      process.stdout.write(`${JSON.stringify({ q, hits: hits.map((h) => ({
        doc: h.passage.doc, citation: h.passage.citation, text: h.passage.text, score: Number(h.score.toFixed(4)),
        ...(values.explain ? { stages: h.stages, span: h.span?.text } : {}),
      })) })}\n`)
    } else {
      const head = values.explain ? explainHead(parsed) : ''
      process.stdout.write(`问：${q}\n${head}${hits.length ? hits.map((h, i) => [`${i + 1}. [${h.score.toFixed(2)}] ${h.passage.citation}`, `   ${h.passage.text.slice(0, 80).replace(/\n/g, ' ')}`, ...(values.explain ? explainLines(h) : [])].join('\n')).join('\n') : '（没有匹配的段落）'}\n\n`)
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
