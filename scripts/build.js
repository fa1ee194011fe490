// Compile src/ to ES modules in dist/ (one bundle, with a chunk per lazily loaded part), so
// `npm start` and `studybot` run plain node. `npm ci` runs this as `prepare`, and the test run's
// global setup runs it too, so a test that spawns the CLI never meets a stale build.
// Type checking is `tsc --noEmit` (npm test); esbuild only strips the types, in well under a second.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
// built beside dist/ and swapped in whole, so a CLI started meanwhile never sees half a build
const next = `${dist}.next-${process.pid}`
const old = `${dist}.old-${process.pid}`

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // packages stay in node_modules: native addons (jieba), pino's transport workers, lazy imports
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
// files read at run time next to their module (src/console/assets.ts looks in <dir of the bundle>/assets)
fs.cpSync(path.join(root, 'src', 'console', 'assets'), path.join(next, 'assets'), { recursive: true })
// the thesaurus and the answerability coefficients (src/materials/thesaurus.ts looks in <dir of the bundle>/builtin)
fs.cpSync(path.join(root, 'src', 'materials', 'builtin'), path.join(next, 'builtin'), { recursive: true })
if (fs.existsSync(dist)) fs.renameSync(dist, old)
fs.renameSync(next, dist)
fs.rmSync(old, { recursive: true, force: true })
