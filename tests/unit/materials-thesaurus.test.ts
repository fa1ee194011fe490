import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtInThesaurus, createThesaurus, parseThesaurus, thesaurusWith } from '../../src/materials/thesaurus.ts'
import { parseQuestion } from '../../src/materials/question.ts'
import { parseConfig } from '../../src/config.ts'
import { buildSearchIndex } from '../../src/materials/search-index.ts'
import { splitPassages } from '../../src/materials/split-passages.ts'

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

describe('ranking with the thesaurus', () => {
  // the member's word (地委) is in no passage; one article uses the document's term (地区委员会),
  // another only 委员会, which is not it
  const index = buildSearchIndex(splitPassages('zhangcheng.txt', [
    '中国共产党章程',
    '第二十五条 党的省、自治区委员会在代表大会闭会期间执行上级的指示。',
    '第二十九条 党的地区委员会和相当于地区委员会的组织，是党的省、自治区委员会在几个县、自治县、市范围内派出的代表机关。',
  ].join('\n')))
  const coordination = (q: string, article: string) =>
    index.search(parseQuestion(q), 5, undefined, { explain: true }).find((h) => h.passage.headings.includes(article))?.stages?.find((s) => s.stage === 'coordination')?.value

  it('counts the member’s word as found in a passage with its document term, and ranks that passage first', () => {
    const q = parseQuestion('地委是什么？')
    expect(q.related).toContainEqual({ term: '地委', others: ['地区委员会', '党的地区委员会'] })
    expect(coordination('地委是什么？', '第二十九条')).toBe(1)
    expect(index.search(q, 1)[0]!.passage.headings).toContain('第二十九条')
  })

  it('only when the passage has the whole document term', () => {
    expect(coordination('地委是什么？', '第二十五条')).toBe(0)
  })
})
