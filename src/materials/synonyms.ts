/**
 * Interchangeable terms of Party study materials: abbreviations members use (党章, 二十大, 纪委)
 * and everyday words for terms of the documents (转正 → 转为正式党员). Each line is one group;
 * a question mentioning one member also searches the others, at a lower weight.
 *
 * Kept by hand because no maintained Chinese synonym table ships in an npm package we can use
 * offline; add a group when members' wording and the documents' wording differ.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['党章', '中国共产党章程', '章程'],
  ['二十大', '第二十次全国代表大会', '党的二十大'],
  ['十九大', '第十九次全国代表大会'],
  ['三中全会', '第三次全体会议'],
  ['四中全会', '第四次全体会议'],
  ['十五五', '第十五个五年规划'],
  ['十四五', '第十四个五年规划'],
  ['一号文件', '乡村振兴', '三农'],
  ['纪委', '纪律检查委员会'],
  ['中央纪委', '中央纪律检查委员会'],
  ['巡视', '巡察'],
  ['共青团', '共产主义青年团', '团组织'],
  ['人大', '人民代表大会'],
  ['政协', '政治协商会议'],
  ['入党', '申请入党', '加入中国共产党', '发展党员'],
  ['转正', '转为正式党员', '预备期满'],
  ['考察', '考察期', '预备期', '教育和考察'],
  ['党员', '共产党员', '中国共产党党员'],
  ['退党', '除名', '脱党'],
  ['开除', '开除党籍', '除名'],
  ['处分', '纪律处分', '处理'],
  ['党费', '交纳党费'],
  ['党龄', '预备期满转为正式党员之日'],
  ['周岁', '岁', '年满'],
  ['年龄', '岁', '年满'],
  ['誓词', '入党宣誓', '宣誓'],
  ['介绍人', '入党介绍人'],
  ['支部', '党支部', '支部大会'],
  ['权利', '享有下列权利', '权益'],
  ['义务', '履行下列义务', '必须履行'],
  ['职权', '职责', '职能'],
  ['任期', '每届任期', '任职期限'],
  ['开会', '召开', '举行', '会议'],
  ['多久', '期限', '任期', '每五年'],
  ['标志', '象征', '党徽', '党旗'],
  ['领导核心', '核心力量'],
  ['宗旨', '全心全意为人民服务'],
  ['最高理想', '最终目标', '共产主义'],
  ['指导思想', '行动指南'],
  ['总书记', '中央委员会总书记'],
  ['政府', '国务院'],
  ['粮食', '粮食安全', '稳产保供'],
  ['农民', '农村', '乡村'],
  ['军队', '人民解放军', '国防'],
  ['腐败', '廉洁', '反腐败'],
  ['作风', '八项规定', '形式主义', '官僚主义'],
  ['学习', '学习教育', '学习宣传'],
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
