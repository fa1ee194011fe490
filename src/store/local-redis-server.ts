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
 * Runs redis-server ("$@") and stops it once the process WATCH_PID is gone, so a server never
 * outlives the process that started it, even one killed with SIGKILL (a test worker, a `studybot
 * play`). SIGTERM stops the server and waits for it (AOF flushed); `wait` lets the trap run at once.
 */
const WATCHDOG = [
  'redis-server "$@" & r=$!',
  'trap \'kill $r 2>/dev/null; wait $r; exit 0\' TERM INT',
  'while kill -0 "$WATCH_PID" 2>/dev/null && kill -0 $r 2>/dev/null; do sleep 1 & wait $!; done',
  'kill $r 2>/dev/null; wait $r',
].join('\n')

/**
 * Start a private redis-server in `dir` on a unix socket (no TCP port). `persistent` keeps data
 * in an append-only file; otherwise nothing is written to disk. The server exits with this process.
 */
export async function startLocalRedis(opts: { dir: string; persistent: boolean; /** Extra redis-server arguments (tests). */ args?: string[] }): Promise<LocalRedisServer> {
  fs.mkdirSync(opts.dir, { recursive: true })
  // unix socket paths are limited to ~107 bytes; fall back to a short temp path for deep folders
  let socket = path.join(opts.dir, 'redis.sock')
  const socketDir = socket.length > 100 ? fs.mkdtempSync('/tmp/studybot-') : undefined
  if (socketDir) socket = path.join(socketDir, 'redis.sock')
  const args = [
    '--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', opts.dir,
    '--save', '', '--appendonly', opts.persistent ? 'yes' : 'no', '--daemonize', 'no', '--loglevel', 'warning',
    ...(opts.args ?? []),
  ]
  let child: ChildProcess | undefined

  const start = async () => {
    fs.rmSync(socket, { force: true })
    // its own process group, so a last-resort SIGKILL reaches the watchdog and the server alike
    const proc = spawn('sh', ['-c', WATCHDOG, 'sh', ...args], {
      stdio: ['ignore', 'ignore', 'ignore'], detached: true, env: { ...process.env, WATCH_PID: String(process.pid) },
    })
    child = proc
    let failed: Error | undefined
    proc.on('error', (err) => { failed = err })
    proc.on('exit', (code) => { if (!fs.existsSync(socket)) failed ??= new Error(`redis-server exited with code ${code}`) })
    // generous: a busy machine may take seconds to start it
    for (let i = 0; i < 1200 && !failed; i++) {
      if (fs.existsSync(socket)) return
      await sleep(25)
    }
    killGroup(proc)
    throw failed ?? new Error('redis-server did not open its socket in time')
  }

  const stop = async () => {
    const proc = child
    child = undefined
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill('SIGTERM')
    await Promise.race([exited, sleep(3000).then(() => killGroup(proc))])
    await exited
  }

  await start()
  return {
    url: `unix://${socket}`,
    socket,
    stop: async () => {
      await stop()
      if (socketDir) fs.rmSync(socketDir, { recursive: true, force: true })
    },
    restart: async () => { await stop(); await start() },
  }
}

function killGroup(proc: ChildProcess): void {
  try {
    process.kill(-proc.pid!, 'SIGKILL')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err // ESRCH: already gone
  }
}
