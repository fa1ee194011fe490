import { createLogger } from '../log.ts'
import { zoneLabel } from '../clock.ts'
import { formatScheduleRow, scheduleOverview } from '../schedules/overview.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, openDeps } from './runtime.ts'

/** `studybot schedules`: every schedule with its last outcome and next fire time; Redis from REDIS_URL, else the bot's private server. */
export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values } = parseCliArgs(argv, {})
    const config = loadCliConfig(values.config, env)
    const log = createLogger({ level: config.secrets.logLevel, fd: 2 })
    const { deps, close } = await openDeps(config, log, { persistent: true })
    try {
      const rows = await scheduleOverview(config, deps.stores.schedules, deps.clock.now())
      process.stdout.write(rows.length
        ? `定时任务（${zoneLabel(config.timezone)}）：\n\n${rows.map((r) => formatScheduleRow(r, config.timezone)).join('\n\n')}\n`
        : '还没有定时任务。可在配置文件 schedules 中添加，或由书记在群里发送：#定时 添加 每周一 09:00 内容\n')
      return 0
    } finally {
      await close()
    }
  })
}
