import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import pino from 'pino'
import { parseConfig } from '../../src/config.ts'
import type { Deps } from '../../src/deps.ts'
import type { Clock } from '../../src/clock.ts'
import type { Redis } from '../../src/store/redis.ts'
import type { Keys } from '../../src/store/keys.ts'
import type { MaterialLibrary, Passage } from '../../src/materials/types.ts'

/** Two study groups and a materials folder holding 党章.md, for scheduler tests. */
export function scheduleConfig(schedules: unknown[], extra: Record<string, unknown> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-sched-'))
  fs.mkdirSync(path.join(dir, 'materials'))
  fs.writeFileSync(path.join(dir, 'materials', '党章.md'), '# 中国共产党章程\n')
  return parseConfig({
    materials: 'materials',
    groups: [
      { topic: '第一党支部学习群', secretaries: ['张书记'] },
      { topic: '第二党支部学习群', secretaries: ['王书记'] },
    ],
    schedules,
    ...extra,
  }, path.join(dir, 'studybot.yaml'), {})
}

/** A library holding one document with `n` passages (the materials engineer builds the real one). */
export function fixedLibrary(n: number): MaterialLibrary {
  const passages: Passage[] = Array.from({ length: n }, (_, i) => ({
    id: `p${i}`, doc: '党章.md', title: '中国共产党章程', headings: ['第一章 党员', `第${i + 1}条`],
    citation: `《中国共产党章程》第一章 党员 第${i + 1}条`, text: `第${i + 1}条正文。`, index: i,
  }))
  return {
    async search() { return [] },
    documents: () => [{ doc: '党章.md', title: '中国共产党章程', passages: n }],
    passages: (doc) => (doc === '党章.md' ? passages : []),
    close() {},
  }
}

/** Deps for a scheduler test; log lines are captured as parsed objects. */
export function scheduleDeps(o: { config: ReturnType<typeof scheduleConfig>; redis: Redis; keys: Keys; clock: Clock; library?: MaterialLibrary }) {
  const logs: Array<Record<string, unknown>> = []
  const log = pino({ level: 'debug' }, new Writable({ write(chunk, _e, cb) { logs.push(JSON.parse(String(chunk))); cb() } }))
  const deps: Deps = { config: o.config, log, clock: o.clock, redis: o.redis, keys: o.keys, library: o.library ?? fixedLibrary(3) }
  return { deps, logs }
}
