import fs from 'node:fs'
import path from 'node:path'
import { groupByName, groupName } from '../config.ts'
import { createLogger } from '../log.ts'
import { exportGroup, exportQuizTable, FORMATS, WHATS, type ExportFormat, type ExportWhat } from '../export/export-group.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, openDeps, UsageError } from './runtime.ts'

const usage = '用法：studybot export --group <群名|群ID> --format xlsx|csv|md|json [--what reflections|quiz|points] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--assignment 任务ID] --out 文件路径 [--config 路径]'

function date(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new UsageError(`--${flag} 应为日期 YYYY-MM-DD，例如 2026-11-01（收到“${value}”）`)
  return value
}

const WHAT_LABEL: Record<ExportWhat, string> = { reflections: '篇心得', quiz: '条答题记录', points: '条月度积分' }

/**
 * `studybot export`: write one group's reflections (xlsx: with quiz and points sheets), quiz
 * answers (--what quiz) or monthly points (--what points) to a file; Redis from REDIS_URL, else
 * the bot's private server.
 */
export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values } = parseCliArgs(argv, {
      group: { type: 'string' }, format: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' },
      assignment: { type: 'string' }, out: { type: 'string' }, what: { type: 'string' },
    })
    const problems: string[] = []
    if (!values.group) problems.push('缺少 --group（群名或群 ID）')
    if (!values.format) problems.push('缺少 --format（xlsx、csv、md 或 json）')
    else if (!(FORMATS as readonly string[]).includes(values.format)) problems.push(`--format 应为 xlsx、csv、md 或 json（收到“${values.format}”）`)
    if (!values.out) problems.push('缺少 --out（输出文件路径）')
    const what = (values.what ?? 'reflections') as ExportWhat
    if (!WHATS.includes(what)) problems.push(`--what 应为 reflections（心得）、quiz（答题情况）或 points（月度积分）（收到“${values.what}”）`)
    if (what !== 'reflections' && values.assignment) problems.push('--assignment 只用于导出心得')
    if (problems.length) throw new UsageError(`${problems.join('\n')}\n${usage}`)
    const since = date('since', values.since)
    const until = date('until', values.until)
    if (since && until && until < since) throw new UsageError('--until 不能早于 --since')

    const config = loadCliConfig(values.config, env)
    const group = groupByName(config, values.group!)
    if (!group) {
      throw new UsageError(`没有名为“${values.group}”的学习群。已配置的群：${config.groups.map(groupName).join('、')}`)
    }
    const out = path.resolve(values.out!)
    if (!fs.existsSync(path.dirname(out))) throw new UsageError(`输出目录不存在：${path.dirname(out)}`)

    const log = createLogger({ level: config.secrets.logLevel, fd: 2 })
    const { deps, close } = await openDeps(config, log, { persistent: true })
    try {
      const req = { format: values.format as ExportFormat, out, since, until, assignmentId: values.assignment }
      const count = what === 'reflections' ? await exportGroup(deps, group, req) : await exportQuizTable(deps, group, what, req)
      process.stdout.write(count
        ? `已导出 ${count} ${WHAT_LABEL[what]}到 ${out}\n`
        : `${groupName(group)} 在所选范围内没有${WHAT_LABEL[what].slice(1)}，已写出只含表头的文件 ${out}\n`)
      return 0
    } finally {
      await close()
    }
  })
}
