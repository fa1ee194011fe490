import { createRequire, Module } from 'node:module'

// wechaty-puppet-mock imports `faker` (v5), whose index loads all 53 locales: about a second of
// the simulator's start-up on a busy machine, for names the simulator never shows (its members
// are the configured ones). Put faker's zh_CN build (one locale and the en fallback) in the module
// cache under the index's path first, so that import finds it. The CLI awaits this module before it
// imports the simulator (a static import would not do: the bundle hoists the puppet's import).
const require = createRequire(import.meta.url)
try {
  const index = require.resolve('faker')
  if (!require.cache[index]) {
    const m = new Module(index)
    m.filename = index
    m.exports = require('faker/locale/zh_CN')
    m.loaded = true
    require.cache[index] = m
  }
} catch (err) {
  // a faker without that layout: the mock puppet loads the whole of it, as before
  if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err
}
