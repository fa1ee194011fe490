import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's chromium (installed by .ci/run), or CHROMIUM_PATH; playwright never downloads a browser here. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p))
  const found = candidates.find((p) => fs.existsSync(p))
  // a missing browser fails the suite instead of skipping the console tests
  if (!found) throw new Error(`no chromium found (tried ${candidates.join(', ')}); .ci/run installs Debian's chromium package`)
  return found
}

/** Start headless chromium; tests run as root, where chromium needs --no-sandbox. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] })
}

/** A TCP port nobody listens on right now (the console is told it before the bot starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/** Save a full-page screenshot as `<dir>/<name>.png` (the test's temp folder, never the repo). */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}
