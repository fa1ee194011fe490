import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import { Document, Packer, Paragraph } from 'docx'
import PDFDocument from 'pdfkit'
import { createLibrary, type FolderLibrary } from '../../src/materials/library.ts'
import { extractiveAnswer } from '../../src/materials/answer-extractive.ts'
import { until } from '../support/until.ts'

const log = pino({ level: 'silent' })
let dir: string
let library: FolderLibrary

async function writeDocx(file: string, paragraphs: string[]): Promise<void> {
  const doc = new Document({ sections: [{ children: paragraphs.map((text) => new Paragraph({ text })) }] })
  fs.writeFileSync(file, await Packer.toBuffer(doc))
}

// pdfkit's built-in fonts have no Chinese glyphs and the test machine may have no CJK font, so
// the generated PDF is in English; extraction and search work the same way.
async function writePdf(file: string, lines: string[]): Promise<void> {
  const pdf = new PDFDocument()
  const chunks: Buffer[] = []
  pdf.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise((resolve) => pdf.on('end', resolve))
  if (lines.length) lines.forEach((l) => pdf.text(l))
  else pdf.rect(50, 50, 200, 200).fill('#333') // a "scan": a picture and no text
  pdf.end()
  await done
  fs.writeFileSync(file, Buffer.concat(chunks))
}

const ask = async (q: string) => extractiveAnswer(q, await library.search(q), { answerChars: 300 })

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-materials-'))
  await writeDocx(path.join(dir, '支部工作制度.docx'), [
    '支部工作制度',
    '一、组织生活',
    '支部每季度召开一次组织生活会，党员应当开展批评和自我批评。',
    '二、主题党日',
    '每月十日为主题党日，支部组织党员参加志愿服务活动。',
  ])
  await writePdf(path.join(dir, 'branch-rules.pdf'), [
    'Branch Study Rules',
    'The branch study day is the first Monday of every month, in meeting room 302.',
  ])
  await writePdf(path.join(dir, '扫描件.pdf'), [])
  fs.writeFileSync(path.join(dir, '损坏.docx'), 'this is not a zip file')
  fs.writeFileSync(path.join(dir, '图片.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0x00]))
  library = await createLibrary({ dir, log, watch: true, debounceMs: 100 })
})

afterAll(() => {
  library?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('materials in Word and PDF files', () => {
  it('answers from a .docx with its heading in the citation', async () => {
    const answer = await ask('主题党日是哪一天？')
    expect(answer.answered).toBe(true)
    expect(answer.text).toContain('每月十日为主题党日')
    expect(answer.text).toContain('——《支部工作制度》二、主题党日')
  })

  it('answers from a text PDF', async () => {
    const answer = await ask('When is the branch study day?')
    expect(answer.answered).toBe(true)
    expect(answer.text).toContain('first Monday of every month')
    expect(answer.sources[0]!.doc).toBe('branch-rules.pdf')
  })

  it('skips unreadable files, naming each with a reason, and loads the rest', () => {
    const skipped = Object.fromEntries(library.skipped().map((s) => [s.doc, s.reason]))
    expect(skipped['损坏.docx']).toContain('损坏')
    expect(skipped['扫描件.pdf']).toContain('没有文字')
    expect(skipped['图片.txt']).toContain('二进制')
    expect(library.documents().map((d) => d.doc).sort()).toEqual(['branch-rules.pdf', '支部工作制度.docx'])
  })

  it('picks up a new file without a restart', async () => {
    fs.writeFileSync(path.join(dir, '党费.md'), '# 党费交纳说明\n\n党员应当按月交纳党费，每月十五日前交给党小组长。\n')
    await until(() => library.documents().some((d) => d.doc === '党费.md'), 'the new file loaded')
    const answer = await ask('党费什么时候交？')
    expect(answer.text).toContain('每月十五日前')
    expect(answer.text).toContain('——《党费交纳说明》')
  })
})
