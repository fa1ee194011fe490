import fs from 'node:fs'
import path from 'node:path'
import { groupByName, groupName } from '../config.ts'
import { createLogger } from '../log.ts'
import { exportGroup, FORMATS, type ExportFormat } from '../export/export-group.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, openDeps, UsageError } from './runtime.ts'

const usage = '用法：studybot export --group <群名|群ID> --format xlsx|csv|md|json [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--assignment 任务ID] --out 文件路径 [--config 路径]'

function date(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new UsageError(`--${flag} 应为日期 YYYY-MM-DD，例如 2026-11-01（收到“${value}”）`)
  return value
}

/** `studybot export`: write one group's reflections to a file; Redis from REDIS_URL, else the bot's private server. */
export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values } = parseCliArgs(argv, {
      group: { type: 'string' }, format: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' },
      assignment: { type: 'string' }, out: { type: 'string' },
    })
    const problems: string[] = []
    if (!values.group) problems.push('缺少 --group（群名或群 ID）')
    if (!values.format) problems.push('缺少 --format（xlsx、csv、md 或 json）')
    else if (!(FORMATS as readonly string[]).includes(values.format)) problems.push(`--format 应为 xlsx、csv、md 或 json（收到“${values.format}”）`)
    if (!values.out) problems.push('缺少 --out（输出文件路径）')
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
      const count = await exportGroup(deps, group, {
        format: values.format as ExportFormat, out, since, until, assignmentId: values.assignment,
      })
      process.stdout.write(count
        ? `已导出 ${count} 篇心得到 ${out}\n`
        : `${groupName(group)} 在所选范围内没有心得，已写出只含表头的文件 ${out}\n`)
      return 0
    } finally {
      await close()
    }
  })
}
