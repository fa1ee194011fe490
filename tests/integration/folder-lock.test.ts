import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { FolderLockedError, lockFolder } from '../../src/util/folder-lock.ts'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-lock-'))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const lockOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'studybot.lock'), 'utf8'))
const holderError = (fn: () => unknown): FolderLockedError => {
  try {
    fn()
  } catch (err) {
    if (err instanceof FolderLockedError) return err
    throw err
  }
  throw new Error('the folder was not refused')
}

describe('data folder lock', () => {
  it('is held by one live process at a time and released for the next', async () => {
    const dir = path.join(root, 'live')
    // another live process on this host holds the lock
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' })
    try {
      const first = lockFolder(dir)
      fs.writeFileSync(first.file, JSON.stringify({ ...lockOf(dir), pid: sleeper.pid, startTicks: undefined }))
      expect(holderError(() => lockFolder(dir)).holder.pid).toBe(sleeper.pid)
    } finally {
      sleeper.kill('SIGKILL')
      await new Promise((r) => sleeper.once('exit', r))
    }
    // its process is gone: the lock is stale and taken over
    const next = lockFolder(dir)
    expect(next.takenOver?.pid).toBe(sleeper.pid)
    expect(lockOf(dir).pid).toBe(process.pid)
    next.release()
    expect(fs.existsSync(next.file)).toBe(false)
  })

  it('takes over a lock whose pid now belongs to another program, and never one of another host', () => {
    const dir = path.join(root, 'reused')
    fs.mkdirSync(dir, { recursive: true })
    // after a container restart the old pid (here: ours) runs something else, started at another time
    fs.writeFileSync(path.join(dir, 'studybot.lock'), JSON.stringify({ pid: process.pid, host: os.hostname(), since: '2026-01-01T00:00:00Z', startTicks: 1 }))
    const lock = lockFolder(dir)
    expect(lock.takenOver?.since).toBe('2026-01-01T00:00:00Z')
    lock.release()

    fs.writeFileSync(path.join(dir, 'studybot.lock'), JSON.stringify({ pid: 999999, host: 'other-host', since: '2026-01-01T00:00:00Z' }))
    expect(holderError(() => lockFolder(dir)).holder.host).toBe('other-host')
  })
})
