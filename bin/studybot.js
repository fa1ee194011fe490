#!/usr/bin/env node
// Entry for the `studybot` command: plain node on the compiled CLI in dist/ (`npm run build`,
// which `npm ci` runs as `prepare`).
import fs from 'node:fs'

const entry = new URL('../dist/main.js', import.meta.url)
if (!fs.existsSync(entry)) {
  process.stderr.write('studybot 尚未编译：请在项目目录运行 npm ci（或 npm run build）后再试。\n')
  process.exit(1)
}
const { main } = await import(entry.href)
await main(process.argv.slice(2), process.env)
