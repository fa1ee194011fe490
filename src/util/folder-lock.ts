import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Who holds a folder lock, as written in its lock file. */
export interface LockHolder {
  pid: number
  host: string
  /** When the holder took the lock (ISO time). */
  since: string
  /** The holder's start time in clock ticks since boot (Linux /proc), to tell a reused pid apart. */
  startTicks?: number
}

/** Raised when another live process holds the folder. */
export class FolderLockedError extends Error {
  constructor(readonly dir: string, readonly holder: LockHolder) {
    super(`folder ${dir} is locked by pid ${holder.pid} on ${holder.host}`)
  }
}

/** A lock this process holds; `release()` removes the lock file if it is still ours. */
export interface FolderLock {
  file: string
  /** Set when a lock left by a process that no longer runs was taken over. */
  takenOver?: LockHolder
  release(): void
}

const LOCK_NAME = 'studybot.lock'

/** This process's start time (field 22 of /proc/<pid>/stat), or undefined where /proc is missing. */
function startTicksOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19])
  } catch {
    return undefined
  }
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  // a live pid may belong to another program now (after a reboot or a container restart)
  const ticks = startTicksOf(holder.pid)
  return holder.startTicks === undefined || ticks === undefined || ticks === holder.startTicks
}

/** Create `file` with our content unless it exists; false when it does. */
function place(draft: string, file: string, content: string): boolean {
  try {
    fs.linkSync(draft, file)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err
  }
  // file systems without hard links: exclusive create
  try {
    fs.writeFileSync(file, `${content}\n`, { flag: 'wx', mode: 0o644 })
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder
    return Number.isInteger(holder?.pid) ? holder : undefined
  } catch {
    return undefined
  }
}

/**
 * Take the exclusive lock of `dir` (a `studybot.lock` file holding pid, host and start time), so
 * two processes never share one data folder. A lock whose process no longer runs on this host is
 * stale and taken over; one held by a live process (or by another host) throws FolderLockedError.
 * The lock is released by `release()` and, failing that, when the process exits.
 */
export function lockFolder(dir: string): FolderLock {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, LOCK_NAME)
  const me: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), startTicks: startTicksOf(process.pid) }
  const mine = JSON.stringify(me)
  // written whole under a private name, then linked into place: the lock never exists half-written
  const draft = path.join(dir, `${LOCK_NAME}.${process.pid}`)
  fs.writeFileSync(draft, `${mine}\n`, { mode: 0o644 })
  let takenOver: LockHolder | undefined
  try {
    for (let attempt = 0; ; attempt++) {
      if (place(draft, file, mine)) break
      if (attempt >= 5) throw new Error(`lock ${file} could not be taken`)
      const holder = readHolder(file)
      if (!holder) {
        // being written where links are not supported; still unreadable after a while: broken, remove it
        if (attempt < 3) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100); continue }
        fs.rmSync(file, { force: true })
        continue
      }
      if (holder.host !== me.host || isAlive(holder)) throw new FolderLockedError(dir, holder)
      // stale: move it aside under our name, and only remove it if it is the one judged stale
      const aside = `${file}.stale-${process.pid}`
      try {
        fs.renameSync(file, aside)
      } catch {
        continue
      }
      const moved = readHolder(aside)
      if (moved && moved.pid === holder.pid && moved.since === holder.since) {
        fs.rmSync(aside, { force: true })
        takenOver = holder
      } else {
        // another process took it over in between: put its lock back, then judge again
        try { fs.linkSync(aside, file) } catch { /* someone holds it; the next attempt reads who */ }
        fs.rmSync(aside, { force: true })
      }
    }
  } finally {
    fs.rmSync(draft, { force: true })
  }

  let released = false
  const release = () => {
    if (released) return
    released = true
    process.off('exit', release)
    try {
      if (fs.readFileSync(file, 'utf8').trim() === mine) fs.rmSync(file)
    } catch { /* already gone */ }
  }
  process.on('exit', release)
  return { file, ...(takenOver ? { takenOver } : {}), release }
}
