#!/usr/bin/env node
// Entry for the `studybot` command: runs the TypeScript CLI through tsx, no build step.
import { register } from 'tsx/esm/api'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

register()
const here = path.dirname(fileURLToPath(import.meta.url))
const { main } = await import(path.join(here, '..', 'src', 'cli', 'main.ts'))
await main(process.argv.slice(2), process.env)
