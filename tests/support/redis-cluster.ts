import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { connectRedis } from '../../src/store/redis.ts'
import { until } from './until.ts'

/** A throwaway local Redis Cluster of three masters (no replicas) that this test process started. */
export interface TestCluster {
  /** `host:port` of every node, as REDIS_CLUSTER_NODES takes them. */
  nodes: string[]
  ports: number[]
  /** SIGKILL one node (data kept in its append-only file), then start it again on the same port. */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>
  start(i: number): Promise<void>
  /** Stop every node (an outage; their files stay), then start them all again and wait for cluster_state:ok. */
  killAll(signal?: NodeJS.Signals): Promise<void>
  startAll(): Promise<void>
  /** Kill every node and remove the files (unless the caller gave the folder). */
  stop(): Promise<void>
}

/** Why this machine cannot run a cluster test (redis-server without cluster support), or undefined. */
export function clusterUnsupported(): string | undefined {
  const server = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  if (server.status !== 0) return 'redis-server is not installed'
  const cli = spawnSync('redis-cli', ['--version'], { encoding: 'utf8' })
  if (cli.status !== 0) return 'redis-cli is not installed (needed for redis-cli --cluster create)'
  const major = Number(/v=(\d+)/.exec(server.stdout)?.[1] ?? 0)
  if (major < 5) return `redis-server ${major}.x has no redis-cli --cluster (needs 5 or newer)`
  return undefined
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Kill `child` when this process dies, however it dies (a worker killed by the test runner
 * included): a detached shell polls our pid and SIGKILLs the server once we are gone.
 */
function killWithParent(child: ChildProcess): void {
  const watchdog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill -9 ${child.pid} 2>/dev/null`], { detached: true, stdio: 'ignore' })
  watchdog.unref()
}

/**
 * Start three `redis-server --cluster-enabled yes` nodes on free ports and join them with
 * `redis-cli --cluster create`. In `root` when given (the caller removes it), else a temp folder.
 * Persistence: `always` (default) fsyncs the append-only file on every write, so a SIGKILLed node
 * keeps everything; `graceful` fsyncs every second (a SIGTERM stop keeps everything); `none`
 * keeps no file (a node comes back empty).
 */
export async function startTestCluster(o: { root?: string; persistence?: 'always' | 'graceful' | 'none' } = {}): Promise<TestCluster> {
  const root = o.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-cluster-'))
  const persistence = { always: ['--appendonly', 'yes', '--appendfsync', 'always'], graceful: ['--appendonly', 'yes', '--appendfsync', 'everysec'], none: ['--appendonly', 'no'] }[o.persistence ?? 'always']
  const ports = [await freePort(), await freePort(), await freePort()]
  const procs: Array<ChildProcess | undefined> = []

  const start = async (i: number) => {
    const dir = path.join(root, String(ports[i]))
    fs.mkdirSync(dir, { recursive: true })
    // --save "" (no snapshots); the append-only file, fsynced on every write, keeps a killed node's data
    const proc = spawn('redis-server', [
      '--port', String(ports[i]), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes',
      '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000', '--save', '', ...persistence,
      '--daemonize', 'no', '--loglevel', 'warning',
    ], { stdio: 'ignore' })
    procs[i] = proc
    killWithParent(proc)
    await waitForNode(proc, ports[i])
  }
  const kill = async (i: number, signal: NodeJS.Signals = 'SIGKILL') => {
    const proc = procs[i]
    procs[i] = undefined
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill(signal)
    await exited
  }
  const killAll = async (signal?: NodeJS.Signals) => { for (let i = 0; i < ports.length; i++) await kill(i, signal) }
  const stop = async () => {
    await killAll()
    if (!o.root) fs.rmSync(root, { recursive: true, force: true })
  }

  try {
    for (let i = 0; i < ports.length; i++) await start(i)
    const nodes = ports.map((p) => `127.0.0.1:${p}`)
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' })
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`)
    await waitForClusterOk(ports)
    return {
      nodes, ports, kill, killAll, stop,
      start: async (i) => { await start(i); await waitForClusterOk(ports) },
      startAll: async () => {
        for (let i = 0; i < ports.length; i++) if (!procs[i]) await start(i)
        await waitForClusterOk(ports)
      },
    }
  } catch (err) {
    await stop()
    throw err
  }
}

/** Wait until every node reports cluster_state:ok (slots assigned and every node reachable). */
async function waitForClusterOk(ports: number[]): Promise<void> {
  await until(async () => {
    const states = await Promise.all(ports.map(async (p) => {
      const r = await connectRedis(`redis://127.0.0.1:${p}`, { connectTimeoutMs: PROBE_CONNECT_MS }).catch(() => undefined)
      if (!r) return false
      try {
        return /cluster_state:ok/.test(await r.call('CLUSTER', 'INFO') as string)
      } finally { r.disconnect() }
    }))
    return states.every(Boolean)
  }, 'cluster_state:ok on every node', NODE_WAIT_MS)
}

/** A probe's connect limit: generous, since a busy machine may take seconds to accept. */
const PROBE_CONNECT_MS = 10_000
/** How long a node may take to answer after its spawn before the test gives up. */
const NODE_WAIT_MS = 60_000

/** Wait until the redis-server `proc` answers on `port`; fail at once if it exits. */
async function waitForNode(proc: ChildProcess, port: number): Promise<void> {
  await until(async () => {
    if (proc.exitCode !== null) throw new Error(`redis-server on port ${port} exited with code ${proc.exitCode}`)
    return connectRedis(`redis://127.0.0.1:${port}`, { connectTimeoutMs: PROBE_CONNECT_MS }).then((r) => { r.disconnect(); return true }, () => false)
  }, `redis-server on port ${port} answering`, NODE_WAIT_MS)
}

/** A master, one replica and one Sentinel watching them, on free ports; all killed with this process. */
export interface TestSentinel {
  /** `host:port` of the Sentinel, as REDIS_SENTINELS takes it. */
  sentinel: string
  name: string
  masterPort: number
  replicaPort: number
  /** Ask the Sentinel to fail over now and wait until the replica is master and the old master its replica. */
  failover(): Promise<void>
  /**
   * Swap master and replica by hand (REPLICAOF NO ONE, REPLICAOF) and point the Sentinel at the
   * new master, without the CLIENT KILL a Sentinel failover sends: a client connected to the old
   * master stays on it, now a replica (as after a partition heals). Returns the ports.
   */
  swapBehindClients(): Promise<{ from: number; to: number }>
  stop(): Promise<void>
}

/** Start a Sentinel setup (`redis-server --sentinel`) for one test file. */
export async function startTestSentinel(): Promise<TestSentinel> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-sentinel-'))
  const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()]
  const name = 'studymaster'
  const procs: ChildProcess[] = []
  const run = async (args: string[], port: number) => {
    const proc = spawn('redis-server', args, { stdio: 'ignore' })
    procs.push(proc)
    killWithParent(proc)
    await waitForNode(proc, port)
  }
  const node = (port: number, extra: string[] = []) => {
    const dir = path.join(root, String(port))
    fs.mkdirSync(dir)
    return ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning', ...extra]
  }
  const stop = async () => {
    await Promise.all(procs.map((p) => p.exitCode === null ? new Promise<void>((resolve) => { p.once('exit', () => resolve()); p.kill('SIGKILL') }) : undefined))
    fs.rmSync(root, { recursive: true, force: true })
  }
  const sentinelAsk = async (...args: string[]) => {
    const r = await connectRedis(`redis://127.0.0.1:${sentinelPort}`)
    try { return await r.call('SENTINEL', ...args) } finally { r.disconnect() }
  }
  try {
    await run(node(masterPort), masterPort)
    await run(node(replicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]), replicaPort)
    const conf = path.join(root, 'sentinel.conf')
    fs.writeFileSync(conf, [
      `port ${sentinelPort}`, 'bind 127.0.0.1', `dir ${root}`,
      `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
      `sentinel down-after-milliseconds ${name} 60000`, `sentinel failover-timeout ${name} 10000`, '',
    ].join('\n'))
    await run([conf, '--sentinel'], sentinelPort)
    // the Sentinel learns the replica from the master's INFO; failover needs it
    for (let t = 0; ; t++) {
      const replicas = await sentinelAsk('REPLICAS', name) as unknown[]
      if (replicas.length) break
      if (t > 600) throw new Error('sentinel never saw the replica')
      await sleep(50)
    }
    return {
      sentinel: `127.0.0.1:${sentinelPort}`, name, masterPort, replicaPort, stop,
      async swapBehindClients() {
        const [, master] = await sentinelAsk('GET-MASTER-ADDR-BY-NAME', name) as [string, string]
        const from = Number(master)
        const to = from === masterPort ? replicaPort : masterPort
        const on = async (port: number, ...args: string[]) => {
          const r = await connectRedis(`redis://127.0.0.1:${port}`)
          try { return await r.call(args[0]!, ...args.slice(1)) } finally { r.disconnect() }
        }
        await on(to, 'REPLICAOF', 'NO', 'ONE')
        await on(from, 'REPLICAOF', '127.0.0.1', String(to))
        await sentinelAsk('REMOVE', name)
        await sentinelAsk('MONITOR', name, '127.0.0.1', String(to), '1')
        await sentinelAsk('SET', name, 'down-after-milliseconds', '60000')
        return { from, to }
      },
      async failover() {
        // NOGOODSLAVE until the Sentinel has talked to the replica itself (within its ~10 s INFO period)
        for (let t = 0; ; t++) {
          const ok = await sentinelAsk('FAILOVER', name).then(() => true, (err: Error) => { if (!/NOGOODSLAVE/.test(err.message) || t > 600) throw err; return false })
          if (ok) break
          await sleep(100)
        }
        for (let t = 0; ; t++) {
          const [, port] = await sentinelAsk('GET-MASTER-ADDR-BY-NAME', name) as [string, string]
          // done once the old master took the replica role (where a client left on it gets READONLY)
          // the Sentinel kills the old master's clients while it reconfigures it: a probe cut off then is asked again
          const role = await connectRedis(`redis://127.0.0.1:${masterPort}`)
            .then(async (r) => { try { return (await r.call('ROLE') as string[])[0] } finally { r.disconnect() } })
            .catch(() => undefined)
          if (Number(port) === replicaPort && role === 'slave') return
          if (t > 600) throw new Error('failover did not happen')
          await sleep(50)
        }
      },
    }
  } catch (err) {
    await stop()
    throw err
  }
}
