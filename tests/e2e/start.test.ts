import { afterAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stringify } from 'yaml'
import { baseConfig, repoRoot } from '../support/harness.ts'
import { freePort } from '../support/browser.ts'
import { until } from '../support/until.ts'
import { startTestRedis } from '../support/redis.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-start-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('studybot start without a puppet (the simulator)', () => {
  it('opens the terminal chat, answers #帮助, and exits 0 when input ends', () => {
    const config = path.join(dir, 'studybot.yaml')
    fs.writeFileSync(config, stringify({ ...baseConfig(), dataDir: path.join(dir, 'data') }))
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'studybot.js'), 'start', '--config', config], {
      cwd: dir, encoding: 'utf8', timeout: 60000,
      input: '#帮助\n/as 张书记\n#帮助\n',
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    })
    expect(result.status, result.stderr).toBe(0)
    // the private Redis appends to disk: no persistence warning
    expect(result.stderr).not.toContain('持久化')
    expect(result.stdout).toContain('模拟器')
    expect(result.stdout).toContain('连接真实账号')
    expect(result.stdout).toMatch(/\[第一党支部学习群\] 学习助手：.*我是学习助手/)
    // the secretary's help (after /as 张书记) lists the schedule commands
    expect(result.stdout).toContain('#定时 添加')
    // the private Redis kept its data on disk (appendonly) for the next start
    expect(fs.existsSync(path.join(dir, 'data', 'redis'))).toBe(true)
  })
  it('warns in Chinese about each role given by name only, and /ids prints the ids in each group', () => {
    const config = path.join(dir, 'names.yaml')
    const groups = [{ topic: '第一党支部学习群', secretaries: ['张书记', { id: 'wxid_wangshuji', name: '王书记' }], organizers: [{ name: '李委员' }] }]
    fs.writeFileSync(config, stringify({ ...baseConfig(), groups, dataDir: path.join(dir, 'data-names') }))
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'studybot.js'), 'start', '--config', config], {
      cwd: dir, encoding: 'utf8', timeout: 60000,
      input: '#帮助\n/ids\n',
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    })
    expect(result.status).toBe(0)
    expect(result.stderr).toMatch(/警告：群“第一党支部学习群”的书记（secretaries）“张书记”只写了名字：个人微信的昵称由成员自己设定/)
    expect(result.stderr).toMatch(/警告：群“第一党支部学习群”的组织委员（organizers）“李委员”只写了名字/)
    expect(result.stderr).not.toContain('王书记')
    expect(result.stdout).toMatch(/王书记 {2}ID：wxid_wangshuji {2}← 已配置为书记/)
    expect(result.stdout).toMatch(/小明 {2}ID：wxid_\w+/)
  })
  it('serves the web console and prints its address and how to get a login link', async () => {
    const port = await freePort()
    const config = path.join(dir, 'console.yaml')
    fs.writeFileSync(config, stringify({ ...baseConfig(), dataDir: path.join(dir, 'data-console'), console: { enabled: true, port } }))
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'studybot.js'), 'start', '--config', config], {
      cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['pipe', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => { out += String(d) })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await until(() => out.includes('网页后台：'))
    expect(out).toContain(`网页后台：http://127.0.0.1:${port}`)
    expect(out).toContain('#后台')
    expect(out).toContain('studybot console-link --as 张书记')
    const login = await fetch(`http://127.0.0.1:${port}/login`)
    expect(login.status).toBe(200)
    expect(await login.text()).toContain('发送 <code>#后台</code>')
    child.stdin.end()
    expect(await exited).toBe(0)
  })
  it('stops gracefully on SIGTERM with exit code 0', async () => {
    const config = path.join(dir, 'sigterm.yaml')
    fs.writeFileSync(config, stringify({ ...baseConfig(), dataDir: path.join(dir, 'data-sigterm') }))
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'studybot.js'), 'start', '--config', config], {
      cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['pipe', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => { out += String(d) })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await until(() => out.includes('模拟器'))
    child.stdin.write('#帮助\n')
    await until(() => out.includes('我是学习助手'))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(out).toContain('我是学习助手')
  })
})

describe('one process per data folder', () => {
  it('refuses a second bot on the same data folder in Chinese, naming the holder, and takes over the lock of a killed one', async () => {
    const redis = await startTestRedis()
    try {
      const config = path.join(dir, 'locked.yaml')
      const dataDir = path.join(dir, 'data-locked')
      fs.writeFileSync(config, stringify({ ...baseConfig(), dataDir }))
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: redis.url }
      const cli = [path.join(repoRoot, 'bin', 'studybot.js'), 'start', '--config', config]
      const first = spawn(process.execPath, cli, { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] })
      let out = ''
      first.stdout.on('data', (d) => { out += String(d) })
      const exited = new Promise<void>((resolve) => first.on('exit', () => resolve()))
      try {
        await until(() => out.includes('模拟器'), 'the first bot up')

        const second = spawnSync(process.execPath, cli, { cwd: dir, env, encoding: 'utf8', timeout: 60000, input: '#帮助\n' })
        expect(second.status).toBe(1)
        expect(second.stdout).not.toContain('我是学习助手')
        expect(second.stderr).toContain(`数据目录 ${dataDir} 正被另一个学习助手进程使用（pid ${first.pid}`)
        expect(second.stderr).toContain('dataDir')
      } finally {
        // killed without a chance to clean up: its lock file stays behind
        first.kill('SIGKILL')
        await exited
      }
      expect(fs.existsSync(path.join(dataDir, 'studybot.lock'))).toBe(true)
      const third = spawnSync(process.execPath, cli, { cwd: dir, env, encoding: 'utf8', timeout: 60000, input: '#帮助\n' })
      expect(third.stderr).toContain('stale data folder lock taken over')
      expect(third.status).toBe(0)
      expect(third.stdout).toContain('我是学习助手')
      // the test's Redis keeps nothing across a restart: the operator is told on the terminal
      expect(third.stderr).toContain('警告：Redis 没有开启持久化（AOF 和 RDB 快照都没有开启）')
      expect(fs.existsSync(path.join(dataDir, 'studybot.lock'))).toBe(false)
    } finally {
      await redis.stop()
    }
  }, 180_000)
})
