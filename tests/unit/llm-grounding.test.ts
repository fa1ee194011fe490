import { describe, expect, it } from 'vitest'
import { groundAnswer } from '../../src/materials/grounding.ts'
import { usableRewrites } from '../../src/materials/rewrite-fusion.ts'
import type { Hit } from '../../src/materials/types.ts'

const hit = (title: string, heading: string, text: string): Hit => ({
  score: 1, passage: { id: `${title}#${heading}`, doc: `${title}.md`, title, headings: [heading], citation: `《${title}》${heading}`, text, index: 0 },
})
const hits = [
  hit('中国共产党章程', '第七条', '第七条 预备党员的预备期为一年。预备党员预备期满，党的支部应当及时讨论他能否转为正式党员。'),
  hit('支部学习须知', '三、党费交纳', '党员应当按月交纳党费，一般在每月十五日前交给党小组长。'),
]

describe('grounding a model answer in the passages it cites', () => {
  it('keeps sentences whose words and numbers are in the cited passage, and drops the model’s citation lines', () => {
    expect(groundAnswer('根据材料，预备党员的预备期为一年[1]。党费在每月十五日前交给党小组长[2]。\n——《中国共产党章程》第七条', hits))
      .toEqual({ ok: true, text: '根据材料，预备党员的预备期为一年[1]。党费在每月十五日前交给党小组长[2]。', cited: [1, 2] })
  })

  it('refuses a wrong number, a word from elsewhere, a passage cited for another’s content, or no citation', () => {
    expect(groundAnswer('预备党员的预备期为两年[1]。', hits).ok).toBe(false)
    expect(groundAnswer('预备期满自动转为正式党员[1]。', hits).ok).toBe(false)
    expect(groundAnswer('党费在每月十五日前交给党小组长[1]。', hits).ok).toBe(false)
    expect(groundAnswer('预备党员的预备期为一年。', hits).ok).toBe(false)
    expect(groundAnswer('预备期为一年[1]。另据2035年修订，预备期为三个月。', hits).ok).toBe(false)
    expect(groundAnswer('依据《党员管理条例》，预备期为一年[1]。', hits).ok).toBe(false)
  })

  it('drops rewrites that name a document the materials do not hold', () => {
    expect(usableRewrites(['《中国共产党章程》第七条 预备期', '党章 预备期', '中国共产党党员教育管理工作条例 预备期', '《党费管理办法》 标准'], ['中国共产党章程', '支部学习须知']))
      .toEqual({ kept: ['《中国共产党章程》第七条 预备期', '党章 预备期'], dropped: ['中国共产党党员教育管理工作条例 预备期', '《党费管理办法》 标准'] })
  })
})
