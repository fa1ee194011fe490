import { execFileSync } from 'node:child_process'
import path from 'node:path'

/** Vitest global setup: build dist/ from the current src/, so tests that spawn `bin/studybot.js` run this code. */
export default function buildDist(): void {
  // a vitest run started by a test (tests/integration/test-cleanup.test.ts) uses the build its parent made
  if (process.env.STUDYBOT_DIST_BUILT) return
  const root = path.resolve(import.meta.dirname, '..', '..')
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' })
  // once per run, not once per vitest project (vitest.config.ts)
  process.env.STUDYBOT_DIST_BUILT = '1'
}
