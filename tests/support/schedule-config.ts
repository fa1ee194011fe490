import fs from 'node:fs'
import path from 'node:path'
import { parseConfig } from '../../src/config.ts'
import { tempDir } from './temp-dir.ts'
import type { MaterialLibrary, Passage } from '../../src/materials/types.ts'

/** Two study groups and a materials folder holding 党章.md, for scheduler tests. */
export function scheduleConfig(schedules: unknown[], extra: Record<string, unknown> = {}) {
  const dir = tempDir('sched')
  fs.mkdirSync(path.join(dir, 'materials'))
  fs.writeFileSync(path.join(dir, 'materials', '党章.md'), '# 中国共产党章程\n')
  return parseConfig({
    materials: 'materials',
    groups: [
      { topic: '第一党支部学习群', secretaries: [{ id: 'wxid_zhangshuji', name: '张书记' }] },
      { topic: '第二党支部学习群', secretaries: [{ id: 'wxid_wangshuji', name: '王书记' }] },
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
    async ready() {},
    close() {},
  }
}
