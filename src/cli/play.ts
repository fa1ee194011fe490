import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { createLogger } from '../log.ts'
import { groupName } from '../config.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, openDeps, UsageError } from './runtime.ts'
import { openLibrary } from './library.ts'

const line = z.union([
  z.strictObject({
    from: z.string().min(1),
    text: z.string(),
    mention: z.boolean().optional(),
    room: z.string().min(1).optional(),
    private: z.boolean().optional(),
    /** With `accounts:`, the account whose world it is said in (privately: the account spoken to). */
    account: z.string().min(1).optional(),
  }),
  z.strictObject({ wait: z.number().int().min(0) }),
])

/** One step of a chat script. */
export type ScriptLine = z.infer<typeof line>

/** Parse a chat script (JSON lines); a bad line is a UsageError naming its number. */
export function parseScript(text: string): ScriptLine[] {
  const out: ScriptLine[] = []
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch {
      throw new UsageError(`脚本第 ${i + 1} 行不是有效的 JSON：${raw.slice(0, 80)}`)
    }
    const parsed = line.safeParse(value)
    if (!parsed.success) {
      throw new UsageError(`脚本第 ${i + 1} 行格式不对：应为 {"from":"成员","text":"内容"}（可加 "mention"、"room"、"private"、"account"）或 {"wait":毫秒}`)
    }
    out.push(parsed.data)
  })
  return out
}

/** `studybot play SCRIPT.jsonl`: play a chat script through the bot; print what it sends as JSON lines. */
export function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values, positionals } = parseCliArgs(argv, {}, true)
    if (positionals.length !== 1) throw new UsageError('用法：studybot play 脚本.jsonl [--config 路径]')
    let text: string
    try {
      text = fs.readFileSync(positionals[0], 'utf8')
    } catch {
      throw new UsageError(`读不到脚本文件：${positionals[0]}`)
    }
    const script = parseScript(text)
    const configured = loadCliConfig(values.config, env)
    // a script runs beside the bot on a folder of its own: it must never replay (and lose) the
    // running bot's journal into its throwaway Redis
    const config = { ...configured, dataDir: path.join(configured.dataDir, `play-${process.pid}`) }
    for (const [i, step] of script.entries()) {
      if ('room' in step && step.room && !config.groups.some((g) => groupName(g) === step.room)) {
        throw new UsageError(`脚本第 ${i + 1} 行：没有名为“${step.room}”的已配置群`)
      }
      if ('account' in step && step.account && !config.accounts.some((a) => a.id === step.account)) {
        throw new UsageError(`脚本第 ${i + 1} 行：没有 id 为“${step.account}”的账号（见配置中的 accounts）`)
      }
    }
    const log = createLogger({ level: config.secrets.logLevel, fd: 2 })
    // Wechaty loads while the private redis-server starts
    const simulation = import('../bot/faker-one-locale.ts').then(() => import('./simulation.ts'))
    const { deps, close } = await openDeps(config, log, { persistent: false, library: () => openLibrary(config, log) })
    const { startSimulation } = await simulation
    // a script runs and ends: no web console for it
    const sim = await startSimulation({
      deps,
      console: false,
      onSent: (m) => process.stdout.write(`${JSON.stringify(m)}\n`),
    })
    try {
      for (const step of script) {
        if ('wait' in step) await sleep(step.wait)
        else await sim.say(step.from, step.text, step)
      }
      await sim.app.settled()
    } finally {
      await sim.stop()
      await close()
      fs.rmSync(config.dataDir, { recursive: true, force: true })
    }
    return 0
  })
}
