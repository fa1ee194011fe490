import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { connectRedis } from '../../src/store/redis.ts'
import { repoRoot } from '../support/harness.ts'
import { until } from '../support/until.ts'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Start a test Redis in a child process (as a test worker does) and return its url and the child. */
function workerWithRedis() {
  const script = `
    import { startTestRedis } from ${JSON.stringify(path.join(repoRoot, 'tests', 'support', 'redis.ts'))}
    const server = await startTestRedis()
    console.log(JSON.stringify({ url: server.url, dir: server.dir }))
    setInterval(() => {}, 1000)
  `
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
  const started = new Promise<{ url: string; dir: string }>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += String(d)
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!))
    })
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)))
  })
  return { child, started }
}

describe('the test redis-server', () => {
  it('exits when the process that started it is killed abruptly', async () => {
    const { child, started } = workerWithRedis()
    const { url } = await started
    const probe = await connectRedis(url)
    const pid = Number(/process_id:(\d+)/.exec(await probe.info('server'))![1])
    probe.disconnect()
    expect(alive(pid)).toBe(true)

    child.kill('SIGKILL') // no afterAll, no exit handler runs
    await until(() => !alive(pid), 'the orphaned redis-server to exit')
    expect(alive(pid)).toBe(false)
  })
})
