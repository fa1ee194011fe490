import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../support/harness.ts'
import { tempDir } from '../support/temp-dir.ts'

/** Run some test files in a vitest of their own, with `tmp` as the system temp folder. */
function runTests(files: string[], tmp: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...files], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: tmp, STUDYBOT_DIST_BUILT: '1', FORCE_COLOR: '0' },
    })
    let out = ''
    child.stdout.on('data', (d) => { out += String(d) })
    child.stderr.on('data', (d) => { out += String(d) })
    child.on('exit', (code) => resolve({ code, out }))
  })
}

describe('test hygiene', () => {
  it('passing tests leave no temp folder behind (exports, journals, configs, schedule materials)', async () => {
    const tmp = tempDir('hygiene')
    const { code, out } = await runTests([
      'tests/integration/reflection-export.test.ts', // reflection fixture: data folder with exported files
      'tests/integration/quiz-polish.test.ts', // schedule config: materials folder
      'tests/unit/config.test.ts', // a config file written for the test
    ], tmp)
    expect(code, out.slice(-3000)).toBe(0)
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('studybot-'))).toEqual([])
  })
})
