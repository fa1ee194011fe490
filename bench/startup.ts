// npm run bench:startup — time from spawn to the first reply of `studybot play` (the compiled
// CLI, plain node) with the 11 shared materials, and its peak RSS, next to a baseline measured in
// the same run: a bare node process importing wechaty, ioredis and @node-rs/jieba.
// Rounds alternate between the commands so a busy machine slows all of them alike; medians shown.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const materials = path.resolve(root, '..', 'shared', 'materials')
const rounds = Number(process.env.ROUNDS ?? 5)
const target = 1.5

if (!fs.existsSync(path.join(root, 'dist', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first')
if (!fs.existsSync(materials)) throw new Error(`shared materials not found at ${materials}`)

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-bench-startup-'))
const config = path.join(dir, 'studybot.yaml')
fs.writeFileSync(config, [
  'bot: { name: 学习助手 }',
  `materials: ${JSON.stringify(materials)}`,
  `dataDir: ${JSON.stringify(path.join(dir, 'data'))}`,
  'groups:',
  '  - topic: 第一党支部学习群',
  '    secretaries: [{ id: wxid_zhangshuji, name: 张书记 }]',
].join('\n'))
const script = (name: string, line: object) => {
  const file = path.join(dir, `${name}.jsonl`)
  fs.writeFileSync(file, `${JSON.stringify(line)}\n`)
  return file
}
const help = script('help', { from: '小明', text: '#帮助' })
const question = script('question', { from: '小明', text: '预备党员的预备期是多久？', mention: true })

interface Run { firstMs: number; peakMb: number; firstLine: string }

/** Spawn a command; time to its first stdout line and its peak RSS (VmHWM, polled until it exits). */
function measure(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } })
    let firstMs: number | undefined
    let out = ''
    let err = ''
    let hwmKb = 0
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))
        if (m) hwmKb = Math.max(hwmKb, Number(m[1]))
      } catch { /* exited between two polls */ }
    }, 5)
    child.stdout.on('data', (d: Buffer) => {
      out += d
      if (firstMs === undefined && out.includes('\n')) firstMs = performance.now() - started
    })
    child.stderr.on('data', (d: Buffer) => { err += d })
    child.on('error', reject)
    child.on('exit', (code) => {
      clearInterval(poll)
      if (code !== 0 || firstMs === undefined) reject(new Error(`${args.join(' ')} exited with ${code}:\n${err.slice(-2000)}`))
      else resolve({ firstMs, peakMb: hwmKb / 1024, firstLine: out.split('\n')[0]! })
    })
  })
}

const commands = {
  baseline: ['--input-type=module', '-e', "await import('wechaty'); await import('ioredis'); await import('@node-rs/jieba'); console.log('ready')"],
  help: ['bin/studybot.js', 'play', help, '--config', config],
  question: ['bin/studybot.js', 'play', question, '--config', config],
}
const runs: Record<keyof typeof commands, Run[]> = { baseline: [], help: [], question: [] }
for (let i = 0; i < rounds; i++) {
  for (const name of Object.keys(commands) as (keyof typeof commands)[]) runs[name].push(await measure(commands[name]))
}
fs.rmSync(dir, { recursive: true, force: true })

// the replies must be the real ones, or the figures mean nothing
const reply = (r: Run) => (JSON.parse(r.firstLine) as { text: string }).text
if (!reply(runs.help[0]!).includes('可以帮大家学习')) throw new Error(`unexpected #帮助 reply: ${runs.help[0]!.firstLine}`)
if (!reply(runs.question[0]!).includes('《')) throw new Error(`unexpected answer: ${runs.question[0]!.firstLine}`)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const base = { ms: median(runs.baseline.map((r) => r.firstMs)), mb: median(runs.baseline.map((r) => r.peakMb)) }
const row = (label: string, rs: Run[], withTarget: boolean) => {
  const ms = median(rs.map((r) => r.firstMs))
  const mb = median(rs.map((r) => r.peakMb))
  const verdict = (ratio: number) => (withTarget ? (ratio <= target ? ' ok' : ' OVER') : '')
  return `${label.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(6)} s ${(ms / base.ms).toFixed(2).padStart(5)}×${verdict(ms / base.ms).padEnd(5)}`
    + ` ${mb.toFixed(0).padStart(5)} MB ${(mb / base.mb).toFixed(2).padStart(5)}×${verdict(mb / base.mb)}`
}
process.stdout.write([
  `studybot play, ${materials} (11 documents); median of ${rounds} rounds; node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
  `${''.padEnd(44)} first reply        peak RSS`,
  `${'baseline: node importing wechaty, ioredis, jieba'.padEnd(44)} ${(base.ms / 1000).toFixed(2).padStart(6)} s              ${base.mb.toFixed(0).padStart(5)} MB`,
  row('#帮助 (target ≤ 1.5× on both)', runs.help, true),
  row('one question (the index is built on its way)', runs.question, false),
  '',
].join('\n'))
