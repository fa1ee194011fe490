import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** A redis-server this process started itself, reachable over a unix socket. */
export interface LocalRedisServer {
  url: string
  socket: string
  stop(): Promise<void>
  /** Start it again on the same socket (tests use this to simulate an outage). */
  restart(): Promise<void>
}

/** True when a redis-server binary is on PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
}

/**
 * Start a private redis-server in `dir` on a unix socket (no TCP port). `persistent` keeps data
 * in an append-only file; otherwise nothing is written to disk.
 */
export async function startLocalRedis(opts: { dir: string; persistent: boolean }): Promise<LocalRedisServer> {
  fs.mkdirSync(opts.dir, { recursive: true })
  // unix socket paths are limited to ~107 bytes; fall back to a short temp path for deep folders
  let socket = path.join(opts.dir, 'redis.sock')
  if (socket.length > 100) socket = path.join(fs.mkdtempSync('/tmp/studybot-'), 'redis.sock')
  const args = [
    '--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', opts.dir,
    '--save', '', '--appendonly', opts.persistent ? 'yes' : 'no', '--daemonize', 'no', '--loglevel', 'warning',
  ]
  let child: ChildProcess | undefined

  const start = async () => {
    fs.rmSync(socket, { force: true })
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    child = proc
    let failed: Error | undefined
    proc.on('error', (err) => { failed = err })
    proc.on('exit', (code) => { if (!fs.existsSync(socket)) failed ??= new Error(`redis-server exited with code ${code}`) })
    // generous: a busy machine may take seconds to start it
    for (let i = 0; i < 1200 && !failed; i++) {
      if (fs.existsSync(socket)) return
      await sleep(25)
    }
    proc.kill('SIGKILL')
    throw failed ?? new Error('redis-server did not open its socket in time')
  }

  const stop = async () => {
    const proc = child
    child = undefined
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill('SIGTERM')
    await Promise.race([exited, sleep(3000).then(() => proc.kill('SIGKILL'))])
    await exited
  }

  await start()
  return { url: `unix://${socket}`, socket, stop, restart: async () => { await stop(); await start() } }
}
