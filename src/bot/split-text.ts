const bytes = (s: string) => Buffer.byteLength(s, 'utf8')

/**
 * Split a reply into messages of at most `maxBytes` UTF-8 bytes, preferring paragraph breaks,
 * then sentence ends, then any character boundary (never inside a surrogate pair).
 */
export function splitText(text: string, maxBytes: number): string[] {
  const out: string[] = []
  let current = ''
  const push = () => { if (current.trim()) out.push(current.trim()); current = '' }
  for (const piece of pieces(text, maxBytes)) {
    const joined = current ? `${current}${piece}` : piece
    if (bytes(joined.trim()) <= maxBytes) current = joined
    else { push(); current = piece }
  }
  push()
  return out
}

/** Paragraphs and sentences, each at most maxBytes, with their trailing separators kept. */
function* pieces(text: string, maxBytes: number): Generator<string> {
  for (const para of text.split(/(?<=\n)/)) {
    if (bytes(para) <= maxBytes) { yield para; continue }
    for (const sentence of para.split(/(?<=[。！？；!?;…])/)) {
      if (bytes(sentence) <= maxBytes) { yield sentence; continue }
      let chunk = ''
      for (const ch of sentence) {
        if (bytes(chunk + ch) > maxBytes) { yield chunk; chunk = '' }
        chunk += ch
      }
      if (chunk) yield chunk
    }
  }
}
