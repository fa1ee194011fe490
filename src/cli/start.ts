import readline from 'node:readline'
import { createLogger, type Logger } from '../log.ts'
import { groupName, personLabel, type Config } from '../config.ts'
import { startApp, type App } from '../main.ts'
import { defaultJobs } from '../jobs/default-jobs.ts'
import type { SentMessage } from '../bot/mock-world.ts'
import { chooseAccounts, isSimulated, PuppetConfigError } from '../bot/choose-puppet.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, lockDataDir, openDeps, UsageError } from './runtime.ts'
import { openLibrary } from './library.ts'
import type { Simulation } from './simulation.ts'
import { createKeyedQueue } from '../util/keyed-queue.ts'
import { groupsWithoutWebhook, webhookWarning } from '../channels/webhook-warnings.ts'
import { nameOnlyRoles, nameOnlyRoleWarning } from '../bot/roles.ts'
import { idLines } from './whois.ts'
import { meetingFrequencyWarnings } from '../org-life/meetings.ts'

/** `studybot start` (`npm start`): run the bot on a real account, or the simulator without one. */
export function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values } = parseCliArgs(argv, {})
    const config = loadCliConfig(values.config, env)
    const simulator = config.accounts.every(isSimulated)
    // in the simulator the terminal is the chat, so logs stay quiet unless asked for
    const log = createLogger({ level: env.LOG_LEVEL ?? (simulator ? 'warn' : 'info'), fd: simulator ? 2 : 1 })
    // roles are granted by id only: say which entries grant nothing (only WeCom names come from the config)
    const nameOnly = nameOnlyRoles(config)
    for (const r of nameOnly) process.stderr.write(`${nameOnlyRoleWarning(r, !config.accounts.some((a) => a.puppet === 'wecom'))}\n`)
    if (nameOnly.length) log.warn({ entries: nameOnly.map((r) => ({ group: r.group.key, role: r.role, entry: r.entry })) }, 'role entries without an id grant nothing')
    // one process per data folder: its journal and private Redis are this process's alone
    const lock = lockDataDir(config, log)
    try {
      return await runBot(config, log)
    } finally {
      lock.release()
    }
  })
}

const warnOperator = (text: string) => { process.stderr.write(`${text}\n`) }

async function runBot(config: Config, log: Logger): Promise<number> {
  let choice: Awaited<ReturnType<typeof chooseAccounts>>
  try {
    choice = await chooseAccounts(config, log)
  } catch (err) {
    if (err instanceof PuppetConfigError) throw new UsageError(err.message)
    throw err
  }
  // listen for signals from the start: a SIGTERM that arrives while the bot starts (or while
  // the index builds) must still stop it gracefully, not kill it with the default action
  let shutdown!: (signal: string) => void
  const stopAsked = new Promise<void>((resolve) => {
    shutdown = (signal) => {
      log.info({ signal }, 'shutting down')
      resolve()
    }
  })
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  // the simulator (and with it Wechaty) loads while the private redis-server starts
  const simulation = choice.kind === 'simulator' ? import('../bot/faker-one-locale.ts').then(() => import('./simulation.ts')) : undefined
  const { deps, close } = await openDeps(config, log, { persistent: true, library: () => openLibrary(config, log) })

  let app: App
  let chat: ReturnType<typeof runTerminalChat> | undefined
  if (choice.kind === 'simulator') {
    const { startSimulation } = await simulation!
    const sim = await startSimulation({ deps, onSent: printSent, redisWatch: { warnOperator } })
    app = sim.app
    chat = runTerminalChat(config, sim, log, consoleLines(app, config, true))
  } else {
    const { accounts, names } = choice
    app = await startApp({ deps, accounts, jobs: defaultJobs, redisWatch: { warnOperator } })
    // Wechaty reports a puppet that failed to start only as an 'error' event
    const failed = accounts.map((a) => (a.puppet as { startError?: Error }).startError).find(Boolean)
    if (failed) {
      await app.stop().catch((err: unknown) => log.warn({ err }, 'bot not stopped cleanly after its puppet failed to start'))
      await close()
      throw new UsageError(failed.message)
    }
    log.info({ puppet: names.join(','), accounts: accounts.map((a) => a.account.id) }, 'bot started')
    // branches differ: unusual 三会一课 frequencies are pointed out, never refused
    for (const warning of meetingFrequencyWarnings(config, deps.clock.now())) process.stderr.write(`提示：${warning}（仅提醒，不影响运行）\n`)
    if (names.includes('wecom')) {
      const quiet = await groupsWithoutWebhook(deps).catch((err: unknown) => { log.warn({ err }, 'schedules not checked for webhooks'); return [] })
      for (const group of quiet) process.stderr.write(`${webhookWarning(group)}\n`)
      if (quiet.length) log.warn({ groups: quiet.map((g) => g.key) }, 'groups with schedules but no group robot webhook')
    }
    process.stdout.write(`${consoleLines(app, config, false).join('\n')}\n`)
  }
  // the first question should not wait for the index: build it now that the bot is up
  deps.library.ready().catch((err) => log.error({ err }, 'materials not loaded, the next question tries again'))

  chat?.rl.once('close', () => shutdown('stdin closed'))
  await stopAsked
  chat?.rl.close()
  await chat?.idle()
  await app.stop()
  await close()
  return 0
}

function printSent(m: SentMessage): void {
  const where = m.room ? `[${m.room}]` : `[私聊 → ${m.to}]`
  const body = m.file ? `（文件）${m.file}` : m.text
  process.stdout.write(`\x1b[36m${where} 学习助手：\x1b[0m${body.replace(/\n/g, '\n    ')}\n`)
}

/** Where the web console is and how to log in, for the terminal. */
function consoleLines(app: App, config: Config, simulator: boolean): string[] {
  if (!config.console.enabled) return ['网页后台已关闭（配置项 console.enabled）。']
  if (!app.console) return [`网页后台没有启动：${config.console.host}:${config.console.port} 无法监听（可能已被占用），详见日志。`]
  const first = config.groups[0].secretaries[0]
  const who = first ? personLabel(first) : '书记姓名'
  return [
    `网页后台：${app.console.url}`,
    simulator
      ? `登录：在模拟器里输入 /as ${who}、/private，再发送 #后台 获取一次性登录链接；或另开终端运行 npx studybot console-link --as ${who}`
      : `登录：书记或组织委员私聊机器人发送 #后台 获取一次性登录链接；或运行 npx studybot console-link --as ${who}`,
  ]
}

function runTerminalChat(config: Config, sim: Simulation, log: Logger, consoleInfo: string[]) {
  const groups = config.groups.map(groupName)
  const first = config.groups[0].secretaries[0]
  const firstMember = first ? personLabel(first) : '小明'
  let me = '小明'
  let room: string | undefined = groups[0]
  process.stdout.write([
    '',
    `══ 学习助手 · 模拟器 ══`,
    `现在没有连接真实账号，机器人运行在本机模拟的群聊里。`,
    `已配置的群：${groups.join('、')}`,
    `书记 ${firstMember} 等已在群里；其他名字第一次使用时自动加入。`,
    '',
    `  直接输入内容      以当前成员身份在当前群里发言`,
    `  @${config.bot.name} 问题   @机器人提问，例如：@${config.bot.name} 预备党员的预备期是多久？`,
    `  /as 名字          切换成员（如 /as ${firstMember}）`,
    `  /room 群名        切换群；/private 切换为与机器人私聊`,
    `  /ids              列出各群成员的 ID（配置书记、组织委员时按 ID 填写）`,
    `  /quit             退出`,
    '',
    `连接真实账号：企业微信设置 WECOM_BOT_ID、WECOM_BOT_SECRET 并在配置中写 bot.puppet: wecom；`,
    `个人微信通过 Wechaty puppet 服务设置 WECHATY_PUPPET 和 WECHATY_PUPPET_SERVICE_TOKEN。详见 README。`,
    '',
    ...consoleInfo,
    '',
  ].join('\n') + '\n')

  // lines are said one after another, so pasted or piped input keeps its order
  const lines = createKeyedQueue()
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: Boolean(process.stdin.isTTY) })
  const prompt = () => { rl.setPrompt(`${me}@${room ?? '私聊'}> `); rl.prompt() }
  rl.on('line', (input) => {
    const text = input.trim()
    const done = () => prompt()
    if (!text) return done()
    if (text === '/quit' || text === '/exit') return rl.close()
    if (text.startsWith('/as ')) { me = text.slice(4).trim() || me; return done() }
    if (text === '/private') { room = undefined; return done() }
    if (text === '/ids') {
      // after the lines typed before it, so everyone who spoke is listed
      void lines.run('terminal', async () => { process.stdout.write(`${idLines(config, [...sim.worlds.values()].flatMap((w) => w.roster())).join('\n')}\n`) }).finally(done)
      return
    }
    if (text.startsWith('/room')) {
      const name = text.slice(5).trim()
      if (!groups.includes(name)) process.stdout.write(`没有这个群。已配置的群：${groups.join('、')}\n`)
      else room = name
      return done()
    }
    const mention = text.startsWith(`@${config.bot.name}`)
    const [from, where] = [me, room ? { room, mention } : { private: true }]
    void lines.run('terminal', () => sim.say(from, text, where))
      .catch((err) => log.error({ err }, 'simulated message failed'))
      .finally(done)
  })
  prompt()
  return {
    rl,
    /** Wait for lines already typed to be answered (input piped in ends before the bot replies). */
    idle: () => lines.idle(),
  }
}
