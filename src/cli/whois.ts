import { createLogger } from '../log.ts'
import { groupName, type Config, type GroupConfig } from '../config.ts'
import { rolesIn } from '../bot/roles.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, openDeps } from './runtime.ts'

/** One person in a group as `whois` and the simulator's `/ids` list them. */
export interface Someone {
  id: string
  name?: string
}

/** Chinese lines listing each group's people with their ids and configured roles. */
export function idLines(config: Config, groups: Array<{ group: GroupConfig; people: Someone[] }>): string[] {
  const lines: string[] = []
  for (const { group, people } of groups) {
    lines.push(`群“${groupName(group)}”${group.id ? `（群 ID ${group.id}）` : ''}：`)
    if (!people.length) lines.push('  （还没有人在群里 @机器人 或发送 # 命令）')
    for (const p of people) {
      const roles = rolesIn(group, p).filter((r) => r !== 'member').map((r) => (r === 'secretary' ? '书记' : '组织委员'))
      lines.push(`  ${p.name ?? '（名字未知）'}  ID：${p.id}${roles.length ? `  ← 已配置为${roles.join('、')}` : ''}`)
    }
  }
  lines.push('', '在配置文件中按 ID 授予角色，名字只作标注，例如：', '    secretaries:', '      - { id: wxid_abc123, name: 张书记 }   # id 填上面列出的 ID')
  return lines
}

/**
 * `studybot whois`: the ids of the people who have spoken to the bot in each configured group
 * (from Redis: REDIS_URL, else the bot's private server), so a secretary can fill the config.
 */
export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values } = parseCliArgs(argv, {})
    const config = loadCliConfig(values.config, env)
    const log = createLogger({ level: config.secrets.logLevel, fd: 2 })
    const { deps, close } = await openDeps(config, log, { persistent: true })
    try {
      const groups = await Promise.all(config.groups.map(async (group) => ({ group, people: await deps.stores.seen.people(group.key) })))
      process.stdout.write([
        '各学习群中 @过机器人或发过 # 命令的成员（名字是对方最近一次发言时的昵称，可能被本人修改；请以 ID 为准）：',
        '',
        ...idLines(config, groups),
        '',
        '没有列出的同志：请他在群里发送一次 #帮助，再运行 studybot whois。',
        '',
      ].join('\n'))
      return 0
    } finally {
      await close()
    }
  })
}
