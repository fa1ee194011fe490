const bytes = (s: string) => Buffer.byteLength(s, 'utf8')

/**
 * Split a message into parts of at most `maxBytes` UTF-8 bytes (chat replies, webhook
 * broadcasts), cutting at paragraph breaks first, then line breaks, then sentence ends, and only
 * as a last resort between two characters (never inside a surrogate pair).
 */
export function splitText(text: string, maxBytes: number): string[] {
  const parts: string[] = []
  let current = ''
  for (const piece of pieces(text, maxBytes, 0)) {
    if (bytes(current + piece) <= maxBytes) { current += piece; continue }
    if (current.trim()) parts.push(current.trim())
    current = piece
  }
  if (current.trim()) parts.push(current.trim())
  return parts
}

// Separators from coarse to fine; each keeps its separator at the end of the piece before it.
const SEPARATORS = [/(?<=\n\n)/, /(?<=\n)/, /(?<=[。！？；!?;…])/]

function* pieces(text: string, maxBytes: number, level: number): Generator<string> {
  if (bytes(text) <= maxBytes) { yield text; return }
  if (level < SEPARATORS.length) {
    for (const piece of text.split(SEPARATORS[level])) yield* pieces(piece, maxBytes, level + 1)
    return
  }
  let chunk = ''
  for (const ch of text) { // iterates code points, so surrogate pairs stay whole
    if (bytes(chunk + ch) > maxBytes) { yield chunk; chunk = '' }
    chunk += ch
  }
  if (chunk) yield chunk
}
