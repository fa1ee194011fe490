import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

/** One file the console serves from the package itself (no CDN: intranets are often offline). */
export interface Asset {
  body: Buffer
  type: string
  /** Content hash, put in the URL so browsers may cache for a year. */
  hash: string
}

const here = path.dirname(fileURLToPath(import.meta.url))
// a compiled build may sit elsewhere (dist/); the stylesheet and script stay next to the sources
const ownDirs = [path.join(here, 'assets'), path.resolve(here, '..', '..', 'src', 'console', 'assets')]

function ownFile(name: string): string {
  const dir = ownDirs.find((d) => fs.existsSync(path.join(d, name)))
  if (!dir) throw new Error(`console asset ${name} not found in ${ownDirs.join(', ')}`)
  return path.join(dir, name)
}

function load(file: string, type: string): Asset {
  const body = fs.readFileSync(file)
  return { body, type, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) }
}

/** The console's static files by URL name: its stylesheet and script, and Chart.js from node_modules. */
export function loadAssets(): Record<string, Asset> {
  const chartJs = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js')
  return {
    'console.css': load(ownFile('console.css'), 'text/css; charset=utf-8'),
    'console.js': load(ownFile('console.js'), 'text/javascript; charset=utf-8'),
    'chart.js': load(chartJs, 'text/javascript; charset=utf-8'),
  }
}
