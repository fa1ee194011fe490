import { describe, expect, it } from 'vitest'
import { BankFileError, parseBankRows, type SheetRow } from '../../src/quiz/bank-file.ts'

const header = ['题型', '题干', '选项A', '选项B', '选项C', '选项D', '答案', '解析', '出处']
const rows = (...data: string[][]): SheetRow[] => [header, ...data].map((cells, i) => ({ row: i + 1, cells }))

describe('parseBankRows', () => {
  it('reads the four common question types', () => {
    const { questions, errors } = parseBankRows(rows(
      ['单选', '预备党员的预备期为（ ）。', '半年', '一年', '两年', '三年', 'B', '党章第七条', '《中国共产党章程》第七条'],
      ['多选题', '党员必须做到（ ）。', '增强“四个意识”', '坚定“四个自信”', '做到“两个维护”', '追求个人利益', 'ABC', '', ''],
      ['判断', '年满十六岁可以申请入党。', '', '', '', '', '错误', '应为十八岁', ''],
      ['填空', '年满____岁的中国工人……可以申请加入中国共产党。', '', '', '', '', '十八|18', '', '党章第一条'],
    ))
    expect(errors).toEqual([])
    expect(questions.map((q) => [q.type, q.answer])).toEqual([['single', 'B'], ['multi', 'ABC'], ['judge', 'B'], ['fill', '十八']])
    expect(questions[0]).toMatchObject({ options: ['半年', '一年', '两年', '三年'], explanation: '党章第七条', citation: '《中国共产党章程》第七条', origin: 'bank' })
    expect(questions[2]!.options).toEqual(['正确', '错误'])
    expect(questions[3]!.accepted).toEqual(['18'])
  })

  it('reports every bad row with its row number and imports nothing', () => {
    const { questions, errors } = parseBankRows(rows(
      ['单选', '好的一题', 'A项', 'B项', '', '', 'A', '', ''],
      ['单选', '', 'A项', 'B项', '', '', 'A', '', ''],
      ['单选', '答案越界', 'A项', 'B项', 'C项', 'D项', 'E', '', ''],
      ['单选', '单选多答', 'A项', 'B项', 'C项', '', 'AB', '', ''],
      ['问答', '题型不对', '', '', '', '', '随便', '', ''],
      ['判断', '判断无答', '', '', '', '', '也许', '', ''],
      ['单选', '选项空缺', 'A项', '', 'C项', '', 'A', '', ''],
      ['单选', '好的一题', 'A项', 'B项', '', '', 'B', '', ''],
      ['填空', '没有答案', '', '', '', '', '', '', ''],
    ))
    expect(questions).toEqual([])
    expect(errors.map((e) => e.row)).toEqual([3, 4, 5, 6, 7, 8, 9, 10])
    expect(errors.find((e) => e.row === 3)!.message).toBe('缺少题干')
    expect(errors.find((e) => e.row === 4)!.message).toContain('E')
    expect(errors.find((e) => e.row === 5)!.message).toContain('多选')
    expect(errors.find((e) => e.row === 6)!.message).toContain('“问答”无法识别')
    expect(errors.find((e) => e.row === 7)!.message).toContain('正确')
    expect(errors.find((e) => e.row === 8)!.message).toContain('选项 B 为空')
    expect(errors.find((e) => e.row === 9)!.message).toBe('与第 2 行题干重复')
    expect(errors.find((e) => e.row === 10)!.message).toBe('缺少答案')
  })

  it('finds the header under a title row, accepts other column names, and infers a missing 题型', () => {
    const { questions, errors } = parseBankRows([
      { row: 1, cells: ['2024年党章知识题库'] },
      { row: 2, cells: ['题目', 'A', 'B', 'C', 'D', '正确答案'] },
      { row: 3, cells: ['党的最高理想和最终目标是实现（ ）。', '共产主义', '社会主义', '小康社会', '共同富裕', 'a'] },
      { row: 4, cells: [] },
      { row: 5, cells: ['党的纪律是党的各级组织和全体党员必须遵守的行为规则。', '', '', '', '', '对'] },
    ])
    expect(errors).toEqual([])
    expect(questions.map((q) => [q.type, q.answer])).toEqual([['single', 'A'], ['judge', 'A']])
  })

  it('refuses a sheet without a header or without an answer column', () => {
    expect(() => parseBankRows([{ row: 1, cells: ['预备期为一年', '一年'] }])).toThrow(BankFileError)
    expect(() => parseBankRows([{ row: 1, cells: ['题型', '题干'] }, { row: 2, cells: ['填空', 'x'] }])).toThrow(/答案/)
  })

  it('gives a row the same id however often it is imported', () => {
    const a = parseBankRows(rows(['单选', '题一', '甲', '乙', '', '', 'A', '', '']))
    const b = parseBankRows(rows(['单选', '题一', '甲', '乙', '', '', 'A', '解析不同', '']))
    expect(a.questions[0]!.id).toBe(b.questions[0]!.id)
  })
})
