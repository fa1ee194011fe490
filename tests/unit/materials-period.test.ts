import { describe, expect, it } from 'vitest'
import { passageYears } from '../../src/materials/period.ts'
import { splitPassages } from '../../src/materials/split-passages.ts'
import { buildSearchIndex } from '../../src/materials/search-index.ts'
import { parseQuestion } from '../../src/materials/question.ts'

const report2024 = splitPassages('report_2024.txt', [
  '2024年政府工作报告',
  '过去一年经济回升向好',
  '总理在报告中指出，过去一年，我国经济回升向好。',
  '城镇新增就业1244万人。',
  '今年发展主要预期目标',
  '总理在报告中提出，今年城镇新增就业1200万人以上。',
].join('\n'))
const report2023 = splitPassages('report_2023.txt', [
  '2023年政府工作报告',
  '五年来民生持续改善',
  '总理在报告中指出，五年来城镇新增就业年均1270万人。',
  '今年发展主要预期目标',
  '总理在报告中提出，今年城镇新增就业1200万人左右。',
].join('\n'))
const fiveYears2023 = report2023.slice(0, 1)

describe('the years a passage is about', () => {
  it('reads 过去一年 / 今年 / 五年来 of a section against the document year, else the document year', () => {
    const years = passageYears([...report2024, ...report2023])
    expect(years.slice(0, report2024.length)).toEqual([[2023], [2024]])
    expect(years.slice(report2024.length)).toEqual([[2018, 2019, 2020, 2021, 2022], [2023]])
    expect(passageYears(splitPassages('zhangcheng.txt', '章程\n第一条 党员。'))).toEqual([[]])
  })

  it('answers a question about a year from the passage about that year, not from the report of that year', () => {
    // the 2023 report bears 2023 in its title, but its 五年来 section is about 2018–2022
    const index = buildSearchIndex([...fiveYears2023, ...report2024.slice(0, 1)])
    const hit = index.search(parseQuestion('2023年城镇新增就业是多少万人？'), 1)[0]!
    expect(hit.passage.text).toContain('1244万人')
  })

  it('keeps the score of a passage of an undated document, which may be about any year', () => {
    const undated = splitPassages('notes.txt', ['学习笔记', '城镇新增就业是民生的重要指标。'].join('\n'))
    const hits = buildSearchIndex([...report2023, ...undated]).search(parseQuestion('2023年城镇新增就业怎么样？'), 3, undefined, { explain: true })
    const share = (text: string) => hits.find((h) => h.passage.text.includes(text))!.stages!.find((s) => s.stage === 'namedDoc')!.value
    expect(share('民生的重要指标')).toBe(1)
    expect(share('今年城镇新增就业')).toBe(1)
    expect(share('五年来城镇新增就业')).toBe(0.7)
  })
})
