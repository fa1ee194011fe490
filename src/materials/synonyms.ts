/**
 * Interchangeable terms of Party study materials: abbreviations members use (党章, 二十大, 纪委)
 * and the few everyday words with one fixed term in the documents (转正 → 转为正式党员). Each line
 * is one group; a question mentioning one member also searches the others, at a lower weight.
 *
 * Kept by hand because no maintained Chinese synonym table ships in an npm package we can use
 * offline (segment-dict's synonym files map traditional to simplified forms, not meanings). Only
 * general Party-study vocabulary belongs here, not groups added for a particular question: a
 * longer list of looser groups (考察/预备期, 开会/召开 …) measured no better on held-out questions.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['党章', '中国共产党章程'],
  ['二十大', '第二十次全国代表大会'],
  ['十九大', '第十九次全国代表大会'],
  ['三中全会', '第三次全体会议'],
  ['四中全会', '第四次全体会议'],
  ['十五五', '第十五个五年规划'],
  ['十四五', '第十四个五年规划'],
  ['一号文件', '三农'],
  ['纪委', '纪律检查委员会'],
  ['中央纪委', '中央纪律检查委员会'],
  ['共青团', '共产主义青年团'],
  ['人大', '人民代表大会'],
  ['政协', '政治协商会议'],
  ['入党', '加入中国共产党'],
  ['转正', '转为正式党员'],
  ['党龄', '转为正式党员之日'],
  ['入党誓词', '入党宣誓'],
  ['总书记', '中央委员会总书记'],
]

const index = new Map<string, string[]>()
for (const group of SYNONYM_GROUPS) {
  for (const term of group) {
    const others = index.get(term) ?? []
    index.set(term, [...new Set([...others, ...group.filter((t) => t !== term)])])
  }
}
const terms = [...index.keys()].sort((a, b) => b.length - a.length)

/** Terms to search besides the question's own words, for each group member it mentions. */
export function expandSynonyms(text: string): string[] {
  const extra = new Set<string>()
  for (const term of terms) {
    if (text.includes(term)) for (const t of index.get(term)!) if (!text.includes(t)) extra.add(t)
  }
  return [...extra]
}
