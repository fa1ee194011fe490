/** The `studybot` command: dispatch to one module per sub-command. */
const commands: Record<string, () => Promise<{ run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> }>> = {
  start: () => import('./start.ts'),
  play: () => import('./play.ts'),
  export: () => import('./export.ts'),
  search: () => import('./search.ts'),
  ask: () => import('./ask.ts'),
  ingest: () => import('./ingest.ts'),
  schedules: () => import('./schedules.ts'),
}

const usage = `用法：studybot <命令> [选项]

命令：
${Object.keys(commands).map((c) => `  ${c}`).join('\n')}

每个命令都接受 --config 路径（或环境变量 STUDYBOT_CONFIG）。`

/** Run the CLI with argv (without node and script) and the environment; exits the process. */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [name, ...rest] = argv
  const load = name ? commands[name] : undefined
  if (!load) {
    process.stderr.write(name && name !== 'help' && name !== '--help' ? `未知命令：${name}\n\n${usage}\n` : `${usage}\n`)
    process.exit(name && name !== 'help' && name !== '--help' ? 2 : 0)
  }
  const code = await (await load()).run(rest, env)
  // Wechaty and file watchers keep handles open; a finished command ends here.
  process.exit(code)
}
