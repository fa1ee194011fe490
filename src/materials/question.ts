import { normalizeText } from './normalize.ts'
import { builtInThesaurus, type Related, type Thesaurus } from './thesaurus.ts'
import { KIND, type DocumentCatalog } from './document-catalog.ts'
import { matchForm } from './tokenize.ts'

/**
 * What kind of answer a question asks for, from its question words: 多大岁数 asks for an age,
 * 多久 for a duration, 几个 for a count, 百分之几 for a percentage, 多少钱 for an amount, 哪天 for a
 * date, 哪些 for a list, 怎么办 for a procedure, 是什么意思 for a definition.
 */
export type AnswerType = 'age' | 'duration' | 'count' | 'percentage' | 'amount' | 'date' | 'list' | 'procedure' | 'definition'

/** A member's question, parsed once and used by every stage (ranking, answer sentence, refusal). */
export interface ParsedQuestion {
  /** The message as sent. */
  raw: string
  /** The question without chat filler and personal context, question words kept (for reading the answer type, sentence choice). */
  asked: string
  /** What ranking matches: `asked` without blanks, option lines, question words and request phrases. */
  text: string
  /** Texts of lettered options (A. … B. …) from a pasted multiple-choice question. */
  options: string[]
  /** Terms of the documents that mean what the question's words mean (see thesaurus.ts). */
  expansions: string[]
  /** The same per question term (地委 → 地区委员会): a passage with one of them has that term's meaning. */
  related: Related[]
  /** The member asked for the whole passage (原文/全文). */
  full: boolean
  /** The message only asks for the whole text of the last answer (“原文”, “看一下全文”). */
  fullOnly: boolean
  /** A pasted quiz question (blanks or lettered options): its wording should be found nearly verbatim. */
  quiz: boolean
  /**
   * For each blank of a pasted quiz question, the text right before and after it (in match form, up to
   * BLANK_CONTEXT characters, stopping at sentence ends and other blanks; empty at a sentence edge).
   * The passage the question was copied from has both, a short filler apart.
   */
  blanks: BlankContext[]
  /** The kind of answer asked for; undefined when the question words do not tell. */
  answerType?: AnswerType
  /** Files of the documents the question names (二十大报告, 2024年政府工作报告), best match first; empty when it names none. */
  docHints: string[]
  /** Years the question gives for the document it names (2024年政府工作报告 → 2024). */
  years: number[]
  /** The words that named those documents (党章, 三中全会决定), taken out of `text`. */
  docNames: string[]
  /**
   * Files of the documents of the kind a question gives alone as its source (报告里说 → the reports),
   * when it names no document; empty otherwise.
   */
  kindDocs: string[]
  /** Years the question asks about (2023年城镇新增就业多少), as written in its search words; the index keeps those some passage is about. */
  askedYears: number[]
  /**
   * For a question asking what something is (党的纪律是什么, 地委是个什么性质的机构): that something and the
   * thesaurus terms for it (地委, 地区委员会); a passage saying `X是……` defines it. Empty otherwise.
   */
  subject: string[]
}

export interface BlankContext { left: string; right: string }

/** What parsing uses besides the text: the library's documents (for document hints) and its thesaurus. */
export interface ParseContext {
  catalog?: DocumentCatalog
  thesaurus?: Thesaurus
}

/** Characters of context kept on each side of a blank. */
export const BLANK_CONTEXT = 4

const FULL_TEXT = /(原文|全文|完整(内容|条文)?|整条)/
const FULL_ONLY = /^(?:请|麻烦)?(?:给我|发|看|要|查看|我要看)?(?:一下|下)?(?:原文|全文|完整条文|完整内容|整条)(?:吧|呢|呀|啊)?[。！!？?]*$/
const REQUEST = /(请问|请(你)?(给出|告诉我|说明|列出|发|查)一?下?|我想(知道|了解|问问?)|能不能|可以|帮我(查|找)?一?下?|给我)/g
const QUESTION_WORDS = /(哪(?:一|[两二三四五六七八九十0-9]{1,2})?(?:种|类|个|项|条|位|样|方面|点|件|句)|什么时候|啥时候|哪一天|哪天|是什么|是指什么|什么|哪些|哪一项|哪项|哪个|哪里|哪儿|哪|下列|以下|多久|多长时间|多少|几(?=[年次名人个种项条位天月周岁])|怎样|怎么样|怎么|如何|为什么|为何|是否|吗|呢|吧|请问|谁|何时)/g
const BLANK = /_{2,}|＿{2,}|[（(][\s　]*[）)]|【\s*】|\[\s*\]|—{2,}|…{1,}|\.{3,}/g
const OPTION = /(?:^|\s|[。？?；;：:])([A-H])[.．、:：)）]\s*([^\n]*?)(?=\s+[A-H][.．、:：)）]|\n|$)/g

// Chat openers and tails that carry no content: 请问, 想问下, 有人知道……吗, 谢谢.
const OPENERS = /^(?:(?:请问|想问(?:一)?下|问(?:一)?下|打听(?:一)?下|请教(?:一)?下|麻烦问(?:一)?下|有人知道|谁知道|大家知道|谁能说说|我想(?:知道|了解|问问?)(?:一下)?|想了解(?:一)?下|小助手|助手|你好|您好|那个|就是)[，,、：:\s]*)+/
const TAILS = /(?:[，,\s]*(?:谢谢(?:了|啦)?|多谢|麻烦了|求解答|在线等))+[！!。.]*$/
// Spoken forms written in the documents' register, so question words and terms match.
const SPOKEN: [RegExp, string][] = [[/啥/g, '什么'], [/咋(样)?/g, '怎么$1'], [/俺/g, '我'], [/多会儿/g, '什么时候']]
// Words that only colour a question: 到底, 究竟, 具体, 大概 …
const FILLER = /(到底|究竟|具体(?:来说)?|大概|大致|一般来说|通常|来着|的话|才行|才可以|行不行|可不可以|是不是|有没有|呀|啊|哈|嘛|呗|啦|咧)/g
// A clause telling who is asking (我今年17岁，…; 我是新来的，…) before the question itself.
const PERSONAL = /^(?:我|本人)(?:今年|现在|目前|已经|刚刚?)?(?:[0-9一二三四五六七八九十]+岁|[0-9一二三四五六七八九十]+年级|大[一二三四]|高[一二三]|是新来的|刚参加工作|刚入职)[^，,；;？?]*[，,；;]\s*/

const ANSWER_TYPES: [AnswerType, RegExp][] = [
  ['age', /多大(?:岁数|年纪|年龄)|多少岁|几岁|(?:什么|多大)年龄|年龄(?:要求|限制|多大|多少)|岁数/],
  ['percentage', /百分之(?:几|多少)|比例|比重|占比|多少%|几成|[率]\S{0,3}(?:多少|几)/],
  ['amount', /多少(?:钱|元|块|亿|万亿|万元|亿元)|几(?:亿|万亿|块钱)|金额/],
  ['date', /哪天|哪一天|什么时候|何时|哪年|哪一年|几月|几号|几点|什么时间|什么日子/],
  ['duration', /多久|多长时间|多长|多少年|几年|几个月|多少个月|多少天|几天|多少周|期限/],
  ['list', /哪些|哪几|哪[两三四五六七八九十]|分别|包括什么|都有什么|有什么(?:要求|内容|方面)/],
  ['count', /几(?:个|名|次|项|条|种|位|件|类|届|所|家|户|人|份|批|轮)|多少(?:个|名|次|项|条|种|位|件|人|户|家|份)|多少/],
  ['procedure', /怎么办|怎么处理|什么程序|(?:怎么|如何)(?:走|办|弄|操作|申请|产生|补|选|处理|认定|验收|办理|进行)|流程|手续|程序|谁(?:说了算|决定|批准|来定)|经过?谁|得做什么|要做什么/],
  ['definition', /什么意思|是指什么|指什么|指的是|是什么|含义|什么性质|什么定位|代表(?:着)?什么|怎么概括|如何理解|怎么理解/],
]

/** The expected answer type from the question words; the more specific kinds are tried first. */
export function answerTypeOf(question: string): AnswerType | undefined {
  return ANSWER_TYPES.find(([, re]) => re.test(question))?.[0]
}

/** The question without chat openers, tails, colouring words and a leading clause about the asker. */
export function stripFiller(question: string): string {
  let s = question
  for (const [re, to] of SPOKEN) s = s.replace(re, to)
  s = s.replace(OPENERS, '').replace(TAILS, '').replace(PERSONAL, '')
  return s.replace(FILLER, '').trim()
}

/** Parse a member's question once: filler, quiz form, options, blanks, thesaurus terms, answer type, named documents. */
export function parseQuestion(raw: string, ctx: ParseContext = {}): ParsedQuestion {
  const thesaurus = ctx.thesaurus ?? builtInThesaurus()
  let s = normalizeText(raw)
  const full = FULL_TEXT.test(s)
  const options: string[] = []
  s = s.replace(OPTION, (m, _letter: string, body: string) => {
    if (body.trim()) options.push(body.trim())
    return m.startsWith('\n') || /^\s/.test(m) ? ' ' : m[0]!
  })
  const quiz = options.length > 0 || new RegExp(BLANK.source).test(s)
  const blanks = blankContexts(s, options.length > 0)
  // a pasted quiz sentence is quoted from the materials: its words are kept as they are
  const asked = quiz ? s : stripFiller(s)
  s = asked.replace(BLANK, ' ')
  s = s.replace(FULL_TEXT, ' ').replace(REQUEST, ' ')
  const hints = ctx.catalog && !quiz ? ctx.catalog.namedIn(asked) : { docs: [], years: [], names: [] }
  // the words naming a document (党章里, 三中全会怎么说的) became the document prior: as search terms they
  // would only find passages that mention the document (党的十一届三中全会是划时代的)
  const named = namedAsSource(s, hints.names)
  // a kind alone given as the source (报告里怎么说的): the documents of that kind, when no document is named
  const kinds = quiz || hints.docs.length || !ctx.catalog ? [] : [...s.matchAll(GENERIC_SOURCE)].map((m) => GENERIC_KIND.exec(m[0])?.[0]).filter((k): k is string => Boolean(k) && k !== '文件')
  const kindDocs = kinds.length ? ctx.catalog!.profiles.filter((d) => kinds.some((k) => d.names.includes(k))).map((d) => d.doc) : []
  s = named.text
  // a pasted quiz sentence is worded as in the materials: other words for its terms only add noise
  const related = quiz ? [] : thesaurus.related(s)
  const expansions = [...new Set(related.flatMap((r) => r.others))]
  const answerType = quiz ? undefined : answerTypeOf(s)
  // an age is written 年满十八岁 / 十八周岁 in the documents, whatever words the question used
  if (answerType === 'age') for (const t of ['年满', '周岁']) if (!s.includes(t) && !expansions.includes(t)) expansions.push(t)
  const subject = quiz ? [] : definitionSubject(s, related)
  s = s.replace(QUESTION_WORDS, ' ')
  s = s.replace(/[?？!！]/g, ' ').replace(/\s+/g, ' ').trim()
  const fullOnly = FULL_ONLY.test(normalizeText(raw).replace(/\s+/g, ''))
  const askedYears = [...s.matchAll(/(?<![0-9])((?:19|20)[0-9]{2})年/g)].map((m) => Number(m[1]))
  return { raw, asked, text: s, options, expansions, related, full, fullOnly, quiz, blanks, answerType, docHints: hints.docs, years: hints.years, docNames: named.names, kindDocs, subject, askedYears }
}

// Words that mark a name as the source of the answer (在党章里, 按照决定, 报告说, 三中全会怎么说的),
// not as the question's topic (党章修正案从什么时候生效, 学党章的要求).
const BEFORE_NAME = '(?:在|按照|按|根据|依照|依据|据)'
const SOURCE_AFTER = '(?:里面|里头|里|中|上|对|是?(?:怎么|如何|咋)?(?:说|讲|写|提|指出|强调|明确|规定|要求))'
const AFTER_NAME = '(?:里面|里头|里|中|上)?(?:是)?(?:怎么|如何|咋)?(?:说|讲|写|提到|提出|提|指出|强调|明确|规定|要求)?(?:的|了|过)?'
// Only a kind of document standing alone (not the end of a name: 政府工作报告提出), not a name (党章), nor 全会 or 上 (在哪次中央全会上通过 is the question's topic).
const GENERIC_KINDS = KIND.split('|').filter((k) => !['全会', '党章', '章程'].includes(k)).join('|')
const GENERIC_KIND = new RegExp(GENERIC_KINDS)
const GENERIC_SOURCE = new RegExp(`(?<![\\u3400-\\u9fff])(?:那份|这份|那个|这个)?(?:${GENERIC_KINDS})(?=${SOURCE_AFTER.replace('|上', '')})${AFTER_NAME}`, 'g')
// A tail asking what a document says, once its name is gone: ……，(是)怎么说的？
const SAYS_TAIL = /[，,\s]*(?:是)?(?:怎么|如何|咋)(?:说|讲|写|表述)(?:的|了)?[？?。！!\s]*$/

/**
 * The question without the names of documents given as its source, with their pointing words
 * (names in match form, as the catalog gives them); and the names taken out.
 */
function namedAsSource(s: string, names: readonly string[]): { text: string; names: string[] } {
  if (!names.length) return { text: withoutGenericSource(s), names: [] }
  let out = names.some((n) => !s.includes(n)) ? matchForm(s) : s
  const taken: string[] = []
  for (const name of names) {
    const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const re = new RegExp(`${BEFORE_NAME}${n}${AFTER_NAME}|${n}(?=${SOURCE_AFTER})${AFTER_NAME}`, 'g')
    const next = out.replace(re, ' ')
    if (next !== out) taken.push(name)
    out = next
  }
  return taken.length ? { text: withoutGenericSource(out), names: taken } : { text: withoutGenericSource(s), names: [] }
}

/** A document pointed at only by its kind (报告里说, 文件里那句) names none, but its words are no topic either. */
const withoutGenericSource = (s: string) => s.replace(GENERIC_SOURCE, ' ').replace(SAYS_TAIL, ' ').trim()

// 是什么, 是个什么(性质/定位/地位), 指什么, 是指什么, 是啥 (啥 is 什么 by now); 个什么 once a source name took its 是 (在党章里是个什么定位)
const DEFINITION_ASK = /(?:是指|指的是|是个|是|指|(?<=\s)个)什么|(?:是?(?:怎么|如何)|(?<=\s))(?:概括|定性|定义|理解)/

/**
 * What a question asks the definition of: the clause before 是什么 / 是个什么 / 指什么 (its document
 * name gone), with the thesaurus terms of the words in it; empty when the question is of another form.
 */
function definitionSubject(s: string, related: readonly Related[]): string[] {
  const m = DEFINITION_ASK.exec(s)
  if (!m) return []
  // the clause before the ask, or the one before that when a source name was all it held (X的核心意思，党章里是怎么概括的)
  const clause = s.slice(0, m.index).trim().split(/[，,。；;？?！!\s]+/).filter(Boolean).at(-1) ?? ''
  const subject = clause.replace(/^(?:那么|那|所谓|咱们|我们)/, '').replace(/对(?:咱们|我们)?.*$/, '').replace(/的(?:核心|主要|基本)?(?:意思|内涵|含义|定位|地位|性质|作用)?$/, '')
  if (subject.length < 2) return []
  // a term inside a longer one of the subject (党组 in 基层党组织) is not what it names
  const terms = related.filter((r) => subject.includes(r.term) && !related.some((o) => o.term.length > r.term.length && o.term.includes(r.term) && subject.includes(o.term)))
  return [...new Set([subject, ...terms.flatMap((r) => r.others)])]
}

/** Left and right context of each blank; blanks with no usable context on either side are left out. */
function blankContexts(s: string, choice: boolean): BlankContext[] {
  const parts = matchForm(s).split(BLANK)
  const out: BlankContext[] = []
  for (let i = 0; i + 1 < parts.length; i++) {
    const left = parts[i]!.split(/[。？！?!；;\n]/).at(-1)!.trim().slice(-BLANK_CONTEXT)
    const right = parts[i + 1]!.split(/[。？！?!；;\n]/)[0]!.trim().slice(0, BLANK_CONTEXT)
    // in a multiple-choice stem, a blank ending the sentence (…的是（ ）。) asks for the options: its context is no quotation
    if (choice && right.length < 2) continue
    if (left.length >= 2 || right.length >= 2) out.push({ left: left.length >= 2 ? left : '', right: right.length >= 2 ? right : '' })
  }
  return out
}
