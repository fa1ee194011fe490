const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff'
// Tone-marked (or tone-numbered) pinyin in brackets right after a Han character, e.g. 學(xué)習(xí).
const PINYIN_READING = new RegExp(
  `([${CJK}])[(（]\\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[1-5]?\\s*[)）]`, 'g')
const HALF_TO_FULL_PUNCT: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '(': '（', ')': '）' }

/**
 * Clean extracted text for display and indexing: full-width letters and digits to half width,
 * ideographic spaces and odd whitespace collapsed, pinyin readings after characters removed, and
 * ASCII punctuation next to Chinese turned into its Chinese form. Line breaks are kept.
 */
export function normalizeText(raw: string): string {
  let s = raw.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '')
  s = s.replace(/[\uff01-\uff5e]/g, (c) => {
    const half = String.fromCharCode(c.charCodeAt(0) - 0xfee0)
    // keep Chinese punctuation as written; only letters, digits and a few symbols become ASCII
    return /[0-9A-Za-z%+\-./=<>@#&*]/.test(half) ? half : c
  })
  s = s.replace(/[\u3000\u00a0\u2002-\u200b\t\f\v]/g, ' ')
  s = s.replace(PINYIN_READING, '$1')
  s = s.replace(new RegExp(`(?<=[${CJK}])\\s*([,;:?!])\\s*|\\s*([,;:?!])\\s*(?=[${CJK}])`, 'g'),
    (_m, a?: string, b?: string) => HALF_TO_FULL_PUNCT[(a ?? b)!]!)
  s = s.replace(new RegExp(`\\((?=[^()\\n]*[${CJK}][^()\\n]*\\))([^()\\n]*)\\)`, 'g'), '（$1）')
  s = s.split('\n').map((line) => unspace(line).replace(/ {2,}/g, ' ').trim()).join('\n')
  return s.replace(/\n{3,}/g, '\n\n').trim()
}

const SPACED = new RegExp(`(?<=[${CJK}，。；：？！、（）“”]) +(?=[${CJK}，。；：？！、（）“”])`, 'g')

// A line with a space between most Chinese characters comes from PDF extraction: drop them all.
// A few spaces are kept, since they separate a heading number from its title (第一章 党员).
function unspace(line: string): string {
  const gaps = line.match(SPACED)?.length ?? 0
  const han = line.match(new RegExp(`[${CJK}]`, 'g'))?.length ?? 0
  return gaps > 3 && gaps * 3 > han ? line.replace(SPACED, '') : line
}
