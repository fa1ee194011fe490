import fs from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileTypeFromBuffer } from 'file-type'
import { isMaterialFile, MATERIAL_EXTENSIONS, readMaterial, UnreadableMaterialError } from './read-material.ts'
import { isFaqFile, readFaqFile } from './faq-file.ts'

/** Raised when a file may not enter (or leave) the materials folder; the message is Chinese. */
export class MaterialFileError extends Error {}

const typeNames: Record<string, string> = { xlsx: 'Excel 表格（.xlsx）', docx: 'Word 文档（.docx）', pdf: 'PDF', zip: 'ZIP 压缩包', doc: '旧版 Word 文档（.doc）', cfb: '旧版 Office 文档（.doc/.xls）' }

/** A safe file name for the folder, or a MaterialFileError saying why not. */
export function checkMaterialName(name: string): string {
  const base = name.normalize('NFC').trim()
  if (!base) throw new MaterialFileError('文件名不能为空')
  if (/[\\/\u0000-\u001f]/.test(base) || base === '.' || base === '..') throw new MaterialFileError('文件名不能包含路径或控制字符')
  if (base.length > 120) throw new MaterialFileError('文件名太长（不超过 120 个字符）')
  if (!isMaterialFile(base)) {
    if (base.startsWith('.') || base.startsWith('~$')) throw new MaterialFileError('不能上传隐藏文件或 Office 临时文件')
    throw new MaterialFileError(`只能上传 ${MATERIAL_EXTENSIONS.join('、')} 文件`)
  }
  return base
}

/**
 * Check that the bytes are what the name says, by content, not by name: .docx must be a Word
 * document, .pdf a PDF, .txt/.md UTF-8 text.
 */
export async function checkMaterialContent(name: string, bytes: Uint8Array): Promise<void> {
  const ext = path.extname(name).slice(1).toLowerCase()
  const detected = (await fileTypeFromBuffer(bytes))?.ext
  const what = detected ? typeNames[detected] ?? `.${detected} 文件` : '文本'
  if (ext === 'docx' || ext === 'pdf' || ext === 'xlsx') {
    if (detected !== ext) throw new MaterialFileError(`文件内容与扩展名不符：文件名是 .${ext}，内容却是${what}`)
    return
  }
  if (detected) throw new MaterialFileError(`文件内容与扩展名不符：文件名是 .${ext}，内容却是${what}`)
  if (bytes.includes(0)) throw new MaterialFileError(`.${ext} 文件应为文字，这个文件是二进制内容`)
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new MaterialFileError('不是 UTF-8 编码的文本（请在编辑器中另存为 UTF-8 后再上传）')
  }
}

/**
 * Put a checked file into the materials folder: written under a hidden name first (the loader
 * ignores it), read as the bot would, then renamed, so the folder watcher sees one whole file.
 */
export async function addMaterialFile(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const safe = checkMaterialName(name)
  await checkMaterialContent(safe, bytes)
  await fs.mkdir(dir, { recursive: true })
  const final = path.join(dir, safe)
  if (await fs.stat(final).then(() => true, () => false)) throw new MaterialFileError(`已有同名文件“${safe}”，请先删除它或改名后再上传`)
  const temp = path.join(dir, `.upload-${randomBytes(6).toString('hex')}${path.extname(safe)}`)
  await fs.writeFile(temp, bytes, { flag: 'wx' })
  try {
    if (isFaqFile(safe)) await readFaqFile(temp)
    else await readMaterial(temp)
    await fs.rename(temp, final)
    return safe
  } catch (err) {
    await fs.rm(temp, { force: true })
    if (err instanceof UnreadableMaterialError) throw new MaterialFileError(`文件无法读取：${err.message}`)
    throw err
  }
}

/** Remove a material file (only a file directly in the folder that the loader would read). */
export async function removeMaterialFile(dir: string, name: string): Promise<void> {
  const entries = await fs.readdir(dir).catch(() => [] as string[])
  if (!isMaterialFile(name) || !entries.includes(name)) throw new MaterialFileError(`学习材料中没有文件“${name}”`)
  await fs.rm(path.join(dir, name))
}
