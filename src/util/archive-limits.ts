import zlib from 'node:zlib'

/** How much a document may expand to before it is parsed (parsers hold all of it in memory). */
export interface ExpansionLimits {
  /** Total uncompressed bytes of every entry (zip) or stream (PDF). */
  maxBytes: number
  /** Entries in a zip, streams in a PDF. */
  maxEntries: number
}

// A legitimate 500-page Word document is about 15 MB of XML; a zip bomb of 175 KB that expands to
// 50 MB already takes a minute and 3 GB in mammoth. exceljs and mammoth hold every part in memory.
export const DEFAULT_EXPANSION_LIMITS: ExpansionLimits = { maxBytes: 32 * 1024 * 1024, maxEntries: 4000 }

/** A document that would expand past the limits; `what` says which limit, for a Chinese reason. */
export class ExpansionLimitError extends Error {
  constructor(readonly what: 'bytes' | 'entries', readonly limits: ExpansionLimits) {
    super(what === 'bytes' ? `expands past ${limits.maxBytes} bytes` : `holds more than ${limits.maxEntries} entries`)
  }
}

/** The Chinese reason a document was refused, for the member or the operator. */
export function expansionReason(err: ExpansionLimitError): string {
  return err.what === 'bytes'
    ? `解压后超过 ${Math.round(err.limits.maxBytes / 1048576)} MB（可能是“压缩炸弹”），为保护机器人已跳过`
    : `内部文件超过 ${err.limits.maxEntries} 个（可能是“压缩炸弹”），为保护机器人已跳过`
}

/**
 * Check a zip container (.docx, .xlsx) before a parser opens it: entry count and declared sizes
 * from the central directory, then every entry inflated and counted (a lying header cannot pass).
 * Throws ExpansionLimitError past the limits; other errors mean the file is not a readable zip.
 */
export async function checkZipExpansion(bytes: Buffer, limits: ExpansionLimits = DEFAULT_EXPANSION_LIMITS): Promise<void> {
  const yauzl = (await import('yauzl')).default
  const zip = await new Promise<import('yauzl').ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z))))
  try {
    if (zip.entryCount > limits.maxEntries) throw new ExpansionLimitError('entries', limits)
    const entries: import('yauzl').Entry[] = await new Promise((resolve, reject) => {
      const all: import('yauzl').Entry[] = []
      zip.on('entry', (e: import('yauzl').Entry) => { all.push(e); zip.readEntry() })
      zip.on('end', () => resolve(all))
      zip.on('error', reject)
      zip.readEntry()
    })
    if (entries.reduce((sum, e) => sum + e.uncompressedSize, 0) > limits.maxBytes) throw new ExpansionLimitError('bytes', limits)
    let total = 0
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))))
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        total += chunk.length
        if (total > limits.maxBytes) {
          (stream as unknown as { destroy(): void }).destroy()
          throw new ExpansionLimitError('bytes', limits)
        }
      }
    }
  } finally {
    zip.close()
  }
}

/**
 * Check a PDF before pdf.js opens it: every stream is counted, and Flate streams inflated with a
 * cap on the total, so a small file cannot expand into gigabytes of page content.
 */
export function checkPdfExpansion(bytes: Buffer, limits: ExpansionLimits = DEFAULT_EXPANSION_LIMITS): void {
  const text = bytes.toString('latin1')
  // PDF pages hold several streams each: a 1,000-page document has a few thousand
  const maxStreams = limits.maxEntries * 20
  const start = /(?<!end)stream\r?\n/g
  let total = 0
  let count = 0
  for (let m = start.exec(text); m; m = start.exec(text)) {
    const dataStart = m.index + m[0].length
    const end = text.indexOf('endstream', dataStart)
    if (end < 0) break
    if (++count > maxStreams) throw new ExpansionLimitError('entries', { ...limits, maxEntries: maxStreams })
    const dict = text.slice(Math.max(0, text.lastIndexOf('obj', m.index)), m.index)
    const data = bytes.subarray(dataStart, end)
    if (/\/FlateDecode\b|\/Fl\b/.test(dict)) {
      try {
        total += zlib.inflateSync(data, { maxOutputLength: Math.max(1, limits.maxBytes - total + 1), finishFlush: zlib.constants.Z_SYNC_FLUSH }).length
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ExpansionLimitError('bytes', limits)
        // a damaged stream: pdf.js decides what it can read of it
      }
    } else {
      total += data.length
    }
    if (total > limits.maxBytes) throw new ExpansionLimitError('bytes', limits)
    start.lastIndex = end + 'endstream'.length
  }
}
