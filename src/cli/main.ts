/** The `studybot` command: dispatch to one module per sub-command. */
type Command = { run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> }

const commands: Record<string, { about: string; load: () => Promise<Command> }> = {
  start: { about: '运行机器人（没有配置真实账号时打开模拟器）', load: () => import('./start.ts') },
  play: { about: 'play 脚本.jsonl：把聊天脚本交给机器人执行，输出机器人发出的消息', load: () => import('./play.ts') },
  ask: { about: 'ask "问题"：从学习材料中回答（--jsonl 从标准输入逐行读取问题）', load: () => import('./ask.ts') },
  search: { about: 'search --k N --jsonl：检索学习材料，输出命中段落', load: () => import('./search.ts') },
  ingest: { about: 'ingest [目录]：检查学习材料（文档数、段落数、读不了的文件）', load: () => import('./ingest.ts') },
  export: { about: 'export --group 群名 --format xlsx|csv|md|json [--what reflections|quiz|points] --out 文件：导出心得、答题情况或月度积分', load: () => import('./export.ts') },
  archive: { about: 'archive --before YYYY-MM-DD [--group 群名]：把该日期之前的心得移出 Redis，压缩保存到 dataDir/archive/（导出时照常包含）', load: () => import('./archive.ts') },
  schedules: { about: '列出定时任务、上次执行结果和下次执行时间', load: () => import('./schedules.ts') },
  whois: { about: '列出各学习群成员的 ID（配置书记、组织委员时按 ID 填写）', load: () => import('./whois.ts') },
  'console-link': { about: 'console-link --as 姓名：生成网页后台的一次性登录链接（书记、组织委员）', load: () => import('./console-link.ts') },
  members: { about: 'members import 台账.xlsx --group 群名 | list | export：导入、查看、导出党员台账', load: () => import('./members.ts') },
  quiz: { about: 'quiz import 题库.xlsx --group 群名：导入每日一题题库；quiz preview --group 群名：查看接下来的题', load: () => import('./quiz.ts') },
}

const usage = `用法：studybot <命令> [选项]

命令：
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(13)} ${c.about}`).join('\n')}

每个命令都接受 --config 路径（或环境变量 STUDYBOT_CONFIG），默认 config/studybot.yaml。`

/** Run the CLI with argv (without node and script) and the environment; exits the process. */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [name, ...rest] = argv
  const load = name ? commands[name]?.load : undefined
  if (!load) {
    process.stderr.write(name && name !== 'help' && name !== '--help' ? `未知命令：${name}\n\n${usage}\n` : `${usage}\n`)
    process.exit(name && name !== 'help' && name !== '--help' ? 2 : 0)
  }
  const code = await (await load()).run(rest, env)
  // Wechaty and file watchers keep handles open; a finished command ends here.
  process.exit(code)
}
