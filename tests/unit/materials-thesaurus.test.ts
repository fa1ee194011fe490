import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtInThesaurus, createThesaurus, parseThesaurus, thesaurusWith } from '../../src/materials/thesaurus.ts'
import { parseQuestion } from '../../src/materials/question.ts'
import { parseConfig } from '../../src/config.ts'

describe('thesaurus', () => {
  it('reads groups line by line, skipping comments and telling which lines are no group', () => {
    expect(parseThesaurus('# 注释\n转正 = 转为正式党员 # 口头说法\n\n纪委＝纪律检查委员会\n只有一个词\n')).toEqual({
      groups: [['转正', '转为正式党员'], ['纪委', '纪律检查委员会']], bad: [5],
    })
  })

  it('ships a built-in file of a few hundred groups with no malformed line', () => {
    const text = fs.readFileSync(path.resolve(import.meta.dirname, '../../src/materials/builtin/thesaurus.txt'), 'utf8')
    const { groups, bad } = parseThesaurus(text)
    expect(bad).toEqual([])
    expect(groups.length).toBeGreaterThanOrEqual(200)
  })

  it('bridges everyday words to the documents’ terms', () => {
    const expand = (q: string) => parseQuestion(q).expansions
    expect(expand('预备党员多久能转正？')).toContain('转为正式党员')
    expect(expand('考察期一般多长？')).toContain('预备期')
    expect(expand('想入党要找几个人？')).toContain('加入中国共产党')
    expect(expand('退党要走什么手续？')).toContain('退出党')
    expect(expand('受了处分会怎样？')).toContain('纪律处分')
    expect(expand('纪委是谁选出来的？')).toContain('纪律检查委员会')
    expect(expand('入党要多大岁数？')).toContain('年满')
  })

  it('does not expand a pasted quiz sentence, whose words are the materials’ own', () => {
    expect(parseQuestion('预备党员的预备期为（ ）。\nA. 半年\nB. 一年').expansions).toEqual([])
  })

  it('adds a branch’s own groups from the config', () => {
    const config = parseConfig({ groups: [{ topic: '一支部' }], synonyms: [['主题党日', '支部主题党日活动']] }, 'studybot.yaml', {})
    const thesaurus = thesaurusWith(config.synonyms)
    expect(parseQuestion('主题党日怎么搞？', { thesaurus }).expansions).toContain('支部主题党日活动')
    expect(thesaurus.groups.length).toBe(builtInThesaurus().groups.length + 1)
    expect(() => parseConfig({ groups: [{ topic: '一支部' }], synonyms: [['孤词']] }, 'studybot.yaml', {})).toThrow(/至少要两个词/)
  })

  it('expands a term inside a longer one too', () => {
    expect(createThesaurus([['纪委', '纪律检查委员会'], ['中央纪委', '中央纪律检查委员会']]).expand('中央纪委')).toEqual(
      expect.arrayContaining(['纪律检查委员会', '中央纪律检查委员会']))
  })
})
