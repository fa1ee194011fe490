import fs from 'node:fs'
import path from 'node:path'
import { groupByName, groupName, type Config, type GroupConfig } from '../config.ts'
import { dateInZone, systemClock } from '../clock.ts'
import { createLogger } from '../log.ts'
import { FORMATS, type ExportFormat } from '../export/export-group.ts'
import { writeTable } from '../export/table.ts'
import { ledgerTable } from '../export/org-life-tables.ts'
import { LEDGER_HEADER, LedgerFileError, ledgerErrorsText, readLedgerFile } from '../org-life/ledger-file.ts'
import { matchLedger, matchReport } from '../org-life/ledger.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, openDeps, UsageError } from './runtime.ts'

const usage = `用法：
  studybot members import 台账.xlsx|台账.csv --group <群名|群ID>   导入党员台账（表头：${LEDGER_HEADER}），整表替换
  studybot members list --group <群名|群ID>                         列出台账
  studybot members export --group <群名|群ID> --out 文件 [--format xlsx|csv|md|json]   导出台账`

function pickGroup(config: Config, name: string | undefined): GroupConfig {
  if (!name) throw new UsageError(`缺少 --group（群名或群 ID）\n${usage}`)
  const group = groupByName(config, name)
  if (!group) throw new UsageError(`没有名为“${name}”的学习群。已配置的群：${config.groups.map(groupName).join('、')}`)
  return group
}

function formatOf(value: string | undefined, out: string): ExportFormat {
  const f = value ?? path.extname(out).slice(1).toLowerCase()
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format 应为 xlsx、csv、md 或 json（收到“${f || '无'}”）`)
  return f as ExportFormat
}

/** `studybot members import|list|export`: a branch's member ledger, checked row by row and imported all or nothing. */
export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values, positionals } = parseCliArgs(argv, { group: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } }, true)
    const [verb, file, ...extra] = positionals
    if (verb !== 'import' && verb !== 'list' && verb !== 'export') throw new UsageError(usage)
    if (extra.length || (verb === 'import') !== Boolean(file)) throw new UsageError(usage)
    if (verb === 'export' && !values.out) throw new UsageError(`缺少 --out（输出文件路径）\n${usage}`)
    const config = loadCliConfig(values.config, env)
    const group = pickGroup(config, values.group)
    const log = createLogger({ level: config.secrets.logLevel, fd: 2 })

    if (verb === 'import') {
      const today = dateInZone(systemClock.now(), config.timezone)
      let parsed
      try {
        parsed = await readLedgerFile(path.resolve(file!), today)
      } catch (err) {
        if (err instanceof LedgerFileError) throw new UsageError(`无法导入 ${file}：${err.message}`)
        throw err
      }
      if (parsed.errors.length) throw new UsageError(ledgerErrorsText(file!, parsed.errors))
      const { deps, close } = await openDeps(config, log, { persistent: true })
      try {
        await deps.stores.ledger.replace(group.key, parsed.members, path.basename(file!))
        // offline, the chat members known are those who spoke to the bot (names from members:)
        const known = (await deps.stores.seen.list(group.key)).map((id) => ({ id, name: config.members[id] ?? id }))
        process.stdout.write([
          `已向“${groupName(group)}”导入党员台账 ${parsed.members.length} 人（原有台账已整表替换）。`,
          matchReport(matchLedger(parsed.members, known)),
          '机器人运行时按群成员重新对应；书记或组织委员可在群里发送 #台账 查看对应情况。',
        ].join('\n') + '\n')
        return 0
      } finally {
        await close()
      }
    }

    const out = values.out ? path.resolve(values.out) : undefined
    if (out && !fs.existsSync(path.dirname(out))) throw new UsageError(`输出目录不存在：${path.dirname(out)}`)
    const format = out ? formatOf(values.format, out) : undefined
    const { deps, close } = await openDeps(config, log, { persistent: true })
    try {
      const table = await ledgerTable(deps, group)
      if (out) {
        await writeTable(format!, out, table, `党员台账：${groupName(group)}`)
        process.stdout.write(`已导出 ${table.rows.length} 名党员到 ${out}\n`)
        return 0
      }
      if (!table.rows.length) {
        process.stdout.write(`“${groupName(group)}”还没有党员台账。导入：studybot members import 台账.xlsx --group ${groupName(group)}\n`)
        return 0
      }
      process.stdout.write(`“${groupName(group)}”党员台账（${table.rows.length} 人）：\n${table.headers.join('\t')}\n${table.rows.map((r) => r.join('\t')).join('\n')}\n`)
      return 0
    } finally {
      await close()
    }
  })
}
