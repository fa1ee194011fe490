import fs from 'node:fs/promises'
import path from 'node:path'
import { normalizeText } from './normalize.ts'
import { checkPdfExpansion, checkZipExpansion, ExpansionLimitError, expansionReason } from '../util/archive-limits.ts'

/** File extensions the materials folder may hold. */
export const MATERIAL_EXTENSIONS = ['.txt', '.md', '.docx', '.pdf'] as const

/** Why a file in the materials folder was not loaded, in Chinese for CLI and chat. */
export class UnreadableMaterialError extends Error {}

/** True for a file name the loader reads (hidden and temporary office files are ignored); 常见问题.xlsx is a FAQ file. */
export function isMaterialFile(name: string): boolean {
  if (name.startsWith('.') || name.startsWith('~$')) return false
  const ext = path.extname(name).toLowerCase()
  return (MATERIAL_EXTENSIONS as readonly string[]).includes(ext) || (ext === '.xlsx' && name.includes('常见问题'))
}

/** Read one material file as normalised text; throws UnreadableMaterialError saying why not. */
export async function readMaterial(file: string): Promise<string> {
  const ext = path.extname(file).toLowerCase()
  const bytes = await fs.readFile(file)
  let text: string
  if (ext === '.docx') text = await readDocx(bytes)
  else if (ext === '.pdf') text = await readPdf(bytes)
  else text = readPlain(bytes)
  const clean = normalizeText(text)
  if (!/[\u3400-\u9fffA-Za-z]/.test(clean)) throw new UnreadableMaterialError('没有可读的文字')
  return clean
}

function readPlain(bytes: Buffer): string {
  if (bytes.includes(0)) throw new UnreadableMaterialError('是二进制文件，不是文本')
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  const bad = (text.match(/\uFFFD/g)?.length ?? 0)
  if (bad > 10 && bad > text.length / 100) throw new UnreadableMaterialError('不是 UTF-8 编码的文本（请另存为 UTF-8）')
  return text
}

async function readDocx(bytes: Buffer): Promise<string> {
  const mammoth = (await import('mammoth')).default
  try {
    // mammoth holds the whole document in memory: a zip bomb must not reach it
    await checkZipExpansion(bytes)
    const { value } = await mammoth.extractRawText({ buffer: bytes })
    return value
  } catch (err) {
    if (err instanceof ExpansionLimitError) throw new UnreadableMaterialError(`Word 文件${expansionReason(err)}`)
    throw new UnreadableMaterialError('Word 文件已损坏或不是 .docx 格式')
  }
}

async function readPdf(bytes: Buffer): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf')
  let pages: string[]
  try {
    checkPdfExpansion(bytes)
    const pdf = await getDocumentProxy(new Uint8Array(bytes))
    pages = (await extractText(pdf, { mergePages: false })).text
  } catch (err) {
    if (err instanceof ExpansionLimitError) throw new UnreadableMaterialError(`PDF 文件${expansionReason(err)}`)
    throw new UnreadableMaterialError('PDF 文件已损坏或无法打开')
  }
  const text = pages.join('\n')
  if (text.replace(/\s/g, '').length < 10) throw new UnreadableMaterialError('PDF 中没有文字（可能是扫描件，请提供文字版）')
  return text
}
