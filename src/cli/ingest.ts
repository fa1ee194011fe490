import { parseArgs } from 'node:util'
import { openCliMaterials } from './library.ts'
import { argErrorText, runCommand } from './args.ts'

const USAGE = `用法：studybot ingest [目录]
  读取学习材料目录（默认为配置中的 materials），显示文档数、段落数、用时和跳过的文件。`
/** Folders with at least this many files get a progress bar. */
const PROGRESS_FROM = 20

/** `studybot ingest [DIR]`: load the materials as the bot would and report what was found. */
export function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(() => runBody(argv, env))
}

async function runBody(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values: { config?: string; materials?: string; help?: boolean }
  let positionals: string[]
  try {
    ({ values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: { config: { type: 'string' }, materials: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }))
  } catch (err) {
    process.stderr.write(`${argErrorText(err)}\n${USAGE}\n`)
    return 2
  }
  if (values.help) { process.stdout.write(`${USAGE}\n`); return 0 }
  const started = performance.now()
  const progress = (done: number, total: number, doc: string) => {
    if (total < PROGRESS_FROM) return
    const width = 30
    const filled = Math.round((done / total) * width)
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${doc}`
    process.stderr.write(process.stderr.isTTY ? `\r${line.slice(0, 100).padEnd(100)}${done === total ? '\n' : ''}` : `${line}\n`)
  }
  const opened = await openCliMaterials({ config: values.config, materials: positionals[0] ?? values.materials }, env, progress)
  const { config, library } = opened
  library.close()
  const docs = library.documents()
  const passages = docs.reduce((n, d) => n + d.passages, 0)
  const lines = [`材料目录：${config.materials}`]
  for (const d of docs) lines.push(`  ${d.doc}　《${d.title}》　${d.passages} 段`)
  lines.push(`共 ${docs.length} 个文档，${passages} 个段落，用时 ${((performance.now() - started) / 1000).toFixed(2)} 秒`)
  const faq = library.faq()
  if (faq.length) {
    const files = [...new Set(faq.map((e) => e.doc))]
    lines.push(`常见问题：${faq.length} 条（${files.join('、')}）`)
  }
  const skipped = library.skipped()
  if (skipped.length) {
    lines.push(`已跳过 ${skipped.length} 个文件：`)
    for (const s of skipped) lines.push(`  ${s.doc}：${s.reason}`)
  }
  if (!docs.length && !skipped.length && !faq.length) lines.push('目录中没有可读的材料（支持 .txt .md .docx .pdf，以及常见问题文件 常见问题.xlsx、*.faq.md）')
  process.stdout.write(`${lines.join('\n')}\n`)
  return docs.length || faq.length ? 0 : 1
}
