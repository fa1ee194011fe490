import fs from 'node:fs/promises'
import path from 'node:path'
import type { Passage } from './types.ts'
import { isMaterialFile, readMaterial, UnreadableMaterialError } from './read-material.ts'
import { splitPassages } from './split-passages.ts'
import { isFaqFile, readFaqFile, type FaqEntry } from './faq-file.ts'

/** One loaded study document. */
export interface LoadedDocument {
  doc: string
  title: string
  passages: Passage[]
}

/** A file left out of the library, with the reason in Chinese. */
export interface SkippedFile {
  doc: string
  reason: string
}

/** The readable documents of a folder and the files that could not be read. */
export interface LoadedFolder {
  documents: LoadedDocument[]
  skipped: SkippedFile[]
  /** Questions and answers of the folder's FAQ files (常见问题.xlsx, *.faq.md). */
  faq: FaqEntry[]
}

/** Read every material file of `dir` (not recursive); unreadable files are skipped, not fatal. */
export async function loadFolder(dir: string, opts: { onProgress?: (done: number, total: number, doc: string) => void } = {}): Promise<LoadedFolder> {
  let names: string[]
  try {
    names = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && isMaterialFile(e.name)).map((e) => e.name)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { documents: [], skipped: [], faq: [] }
    throw err
  }
  names.sort((a, b) => a.localeCompare(b, 'zh-CN'))
  const documents: LoadedDocument[] = []
  const skipped: SkippedFile[] = []
  const faq: FaqEntry[] = []
  for (const [i, doc] of names.entries()) {
    try {
      if (isFaqFile(doc)) {
        faq.push(...await readFaqFile(path.join(dir, doc)))
        opts.onProgress?.(i + 1, names.length, doc)
        continue
      }
      const text = await readMaterial(path.join(dir, doc))
      const passages = splitPassages(doc, text)
      if (passages.length) documents.push({ doc, title: passages[0]!.title, passages })
      else skipped.push({ doc, reason: '没有可读的文字' })
    } catch (err) {
      const reason = err instanceof UnreadableMaterialError ? err.message : `读取失败（${(err as Error).message}）`
      skipped.push({ doc, reason })
    }
    opts.onProgress?.(i + 1, names.length, doc)
  }
  return { documents, skipped, faq }
}
