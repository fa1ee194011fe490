import { groupByName, groupName } from '../config.ts'
import { createLogger } from '../log.ts'
import { zonedToEpoch } from '../clock.ts'
import { archiveReflections } from '../reflections/archive.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, openDeps, UsageError } from './runtime.ts'

const usage = '用法：studybot archive --before YYYY-MM-DD [--group 群名|群ID] [--config 路径]'

/** A real calendar date (2026-02-31 is refused, not rolled over). */
function calendarDate(value: string | undefined): string {
  if (!value) throw new UsageError(`缺少 --before（此日期之前提交的心得会被归档）\n${usage}`)
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined
  if (!d || d.toISOString().slice(0, 10) !== value) throw new UsageError(`--before 应为日期 YYYY-MM-DD，例如 2026-01-01（收到“${value}”）`)
  return value
}

/**
 * `studybot archive --before DATE`: move reflections submitted before DATE (00:00 in the
 * configured zone) out of Redis into compressed files under dataDir/archive/, each read back and
 * checked before anything is removed. `studybot export` and `#导出` read the archives too.
 */
export function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values } = parseCliArgs(argv, { before: { type: 'string' }, group: { type: 'string' } })
    const before = calendarDate(values.before)
    const config = loadCliConfig(values.config, env)
    const groups = values.group ? [groupByName(config, values.group)] : config.groups
    if (!groups[0]) throw new UsageError(`没有名为“${values.group}”的学习群。已配置的群：${config.groups.map(groupName).join('、')}`)
    const beforeMs = zonedToEpoch(before, '00:00', config.timezone)

    const log = createLogger({ level: config.secrets.logLevel, fd: 2 })
    const { deps, close } = await openDeps(config, log, { persistent: true })
    try {
      const outcomes = await archiveReflections(deps, groups.map((g) => g!.key), beforeMs, before)
      for (const [i, o] of outcomes.entries()) {
        const name = groupName(groups[i]!)
        const resumed = o.resumed ? `（并完成了上次中断的归档：${o.resumed} 篇）` : ''
        process.stdout.write(o.count
          ? `${name}：已把 ${before} 之前的 ${o.count} 篇心得归档到 ${o.file}，核对无误后已从 Redis 删除${resumed}\n`
          : `${name}：${before} 之前没有需要归档的心得${resumed}\n`)
      }
      return 0
    } finally {
      await close()
    }
  })
}
