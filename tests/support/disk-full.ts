import { execFileSync } from 'node:child_process'

/**
 * Run `fn` while this process may not grow any file past `bytes` (RLIMIT_FSIZE, set with
 * util-linux `prlimit`, no root needed): the kernel then cuts a write short and fails the next
 * one with EFBIG, as a full disk cuts it short and fails with ENOSPC. Only this process is
 * limited (a test's redis-server is not); the previous limit is restored afterwards.
 */
export async function withFileSizeLimit<T>(bytes: number, fn: () => Promise<T>): Promise<T> {
  const pid = String(process.pid)
  const [soft, hard] = execFileSync('prlimit', ['--pid', pid, '--fsize', '--output', 'SOFT,HARD', '--noheadings', '--raw'], { encoding: 'utf8' }).trim().split(/\s+/)
  execFileSync('prlimit', ['--pid', pid, `--fsize=${bytes}:${hard}`])
  try {
    return await fn()
  } finally {
    execFileSync('prlimit', ['--pid', pid, `--fsize=${soft}:${hard}`])
  }
}
