import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const made = new Set<string>()

/**
 * A fresh folder under the system temp folder, removed with everything in it (exports, journals,
 * a private Redis's files) after the test file that made it (tests/support/cleanup.ts).
 */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `studybot-${prefix}-`))
  made.add(dir)
  return dir
}

/** Remove every folder tempDir() made in this test file. */
export function removeTempDirs(): void {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
  made.clear()
}
