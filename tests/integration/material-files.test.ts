import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Document, Packer, Paragraph } from 'docx'
import PDFDocument from 'pdfkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMaterialFile, checkMaterialContent, checkMaterialName, MaterialFileError, removeMaterialFile } from '../../src/materials/material-files.ts'
import { loadFolder } from '../../src/materials/load-folder.ts'

let dir: string
let docx: Uint8Array
let pdf: Uint8Array
let scan: Uint8Array

async function makePdf(lines: string[]): Promise<Uint8Array> {
  const doc = new PDFDocument()
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise((resolve) => doc.on('end', resolve))
  if (lines.length) lines.forEach((l) => doc.text(l))
  else doc.rect(50, 50, 200, 200).fill('#333')
  doc.end()
  await done
  return new Uint8Array(Buffer.concat(chunks))
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-material-files-'))
  docx = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ text: '第一条 党员必须履行义务。' })] }] })))
  pdf = await makePdf(['Article 1. Members shall study the Party Constitution.', 'Article 2. Members shall keep discipline.'])
  scan = await makePdf([])
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const refusal = async (p: Promise<unknown>) => {
  try { await p } catch (err) { if (err instanceof MaterialFileError) return err.message; throw err }
  return undefined
}

describe('what may enter the materials folder', () => {
  it('judges a file by its content, not its name', async () => {
    expect(await refusal(checkMaterialContent('a.docx', docx))).toBeUndefined()
    expect(await refusal(checkMaterialContent('a.pdf', pdf))).toBeUndefined()
    expect(await refusal(checkMaterialContent('a.md', new TextEncoder().encode('# 标题\n正文')))).toBeUndefined()
    expect(await refusal(checkMaterialContent('a.pdf', docx))).toBe('文件内容与扩展名不符：文件名是 .pdf，内容却是Word 文档（.docx）')
    expect(await refusal(checkMaterialContent('a.docx', pdf))).toBe('文件内容与扩展名不符：文件名是 .docx，内容却是PDF')
    expect(await refusal(checkMaterialContent('a.txt', pdf))).toContain('内容却是PDF')
    expect(await refusal(checkMaterialContent('a.docx', new TextEncoder().encode('plain text')))).toContain('内容却是文本')
    expect(await refusal(checkMaterialContent('a.txt', new Uint8Array([0x41, 0, 0x42])))).toContain('二进制')
    // 党章 in GBK, as Windows Notepad once saved it
    expect(await refusal(checkMaterialContent('a.txt', new Uint8Array([0xb5, 0xb3, 0xd5, 0xc2])))).toContain('UTF-8')
  })

  it('takes plain names of the four kinds only', () => {
    expect(checkMaterialName(' 党章.md ')).toBe('党章.md')
    for (const [name, why] of [
      ['../etc/passwd.txt', '路径'], ['a\\b.txt', '路径'], ['.hidden.txt', '隐藏'], ['~$draft.docx', '临时'],
      ['notes.doc', '.txt、.md、.docx、.pdf'], ['run.exe', '只能上传'], ['', '不能为空'], [`${'长'.repeat(121)}.txt`, '太长'],
    ]) expect(() => checkMaterialName(name)).toThrow(why)
  })

  it('adds a readable file whole and refuses an unreadable one or a name in use, leaving nothing behind', async () => {
    expect(await addMaterialFile(dir, 'rules.pdf', pdf)).toBe('rules.pdf')
    expect(await refusal(addMaterialFile(dir, 'rules.pdf', pdf))).toContain('已有同名文件')
    expect(await refusal(addMaterialFile(dir, 'scan.pdf', scan))).toContain('文件无法读取：PDF 中没有文字')
    expect(fs.readdirSync(dir)).toEqual(['rules.pdf'])
    expect((await loadFolder(dir)).documents.map((d) => d.doc)).toEqual(['rules.pdf'])
  })

  it('removes only a material file that is there', async () => {
    fs.writeFileSync(path.join(dir, 'keep.json'), '{}')
    expect(await refusal(removeMaterialFile(dir, 'keep.json'))).toContain('没有文件')
    expect(await refusal(removeMaterialFile(dir, '../rules.pdf'))).toContain('没有文件')
    await removeMaterialFile(dir, 'rules.pdf')
    expect(fs.readdirSync(dir)).toEqual(['keep.json'])
  })
})
