import { createLogger } from '../log.ts'
import { consoleRoles } from '../console/access.ts'
import { consoleUrl, loginLink } from '../console/server.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, openDeps, UsageError } from './runtime.ts'

/** `studybot console-link --as 名字`: print a one-time web console login link for a secretary or organizer. */
export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values } = parseCliArgs(argv, { as: { type: 'string' } })
    const as = values.as?.trim()
    if (!as) throw new UsageError('用法：studybot console-link --as 姓名（配置文件中书记或组织委员的名字或 ID）')
    const config = loadCliConfig(values.config, env)
    if (!config.console.enabled) throw new UsageError('网页后台没有开启：请在配置文件中设置 console.enabled: true。')
    // the operator names a role holder by the id or the label the config gives them
    const person = config.groups.flatMap((g) => [...g.secretaries, ...g.organizers])
      .find((p) => p.id !== undefined && (p.id === as || p.name === as))
    const id = person?.id ?? as
    const who = { id, name: person?.name ?? config.members[id] ?? as }
    const roles = consoleRoles(config.groups, who)
    if (!Object.keys(roles).length) {
      throw new UsageError(`“${as}”不是任何学习群的书记或组织委员（见配置文件 groups 中的 secretaries、organizers），不能登录后台。`)
    }
    const log = createLogger({ level: config.secrets.logLevel, fd: 2 })
    const { deps, close } = await openDeps(config, log, { persistent: true })
    try {
      const token = await deps.stores.consoleSessions.issueLink({ who, roles, via: 'cli' })
      process.stdout.write(`${who.name} 的网页后台登录链接（10 分钟内有效，只能使用一次）：\n${loginLink(consoleUrl(config), token)}\n`)
      return 0
    } finally {
      await close()
    }
  })
}
