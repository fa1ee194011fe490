import zlib from 'node:zlib'
import { Document, Packer, Paragraph } from 'docx'

/** One file of a zip: its name and its (uncompressed) content. */
export interface ZipFile {
  name: string
  data: Buffer
}

/** A zip (deflated entries, honest headers) of `files`, as Word and Excel write them. */
export function buildZip(files: ZipFile[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8')
    const packed = zlib.deflateRawSync(f.data, { level: 9 })
    const crc = zlib.crc32(f.data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(8, 8)
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(f.data.length, 22); local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x0800, 8); central.writeUInt16LE(8, 10)
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(f.data.length, 24); central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, packed)
    centrals.push(central, name)
    offset += local.length + name.length + packed.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

/** The files of a zip (stored or deflated entries; enough for what `docx` writes). */
export function readZip(zip: Buffer): ZipFile[] {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = zip.readUInt16LE(endAt + 10)
  let at = zip.readUInt32LE(endAt + 16)
  const files: ZipFile[] = []
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const raw = zip.subarray(dataAt, dataAt + size)
    files.push({ name, data: method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw) })
    at += 46 + nameLength + extra
  }
  return files
}

/**
 * A real Word document whose body holds `mb` megabytes of paragraphs: the file is small (the XML
 * is repetitive) but a parser would have to hold all of it, the shape of a zip bomb.
 */
export async function wordBomb(mb: number): Promise<Buffer> {
  const doc = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('学习材料')] }] }))
  const para = '<w:p><w:r><w:t>学习党的二十大精神</w:t></w:r></w:p>'
  const files = readZip(Buffer.from(doc)).map((f) => {
    if (f.name !== 'word/document.xml') return f
    const xml = f.data.toString('utf8')
    const body = xml.indexOf('<w:body>') + '<w:body>'.length
    const filler = para.repeat(Math.ceil((mb * 1048576) / Buffer.byteLength(para)))
    return { name: f.name, data: Buffer.from(xml.slice(0, body) + filler + xml.slice(body)) }
  })
  return buildZip(files)
}

/**
 * A PDF with one Flate content stream of `mb` megabytes (spaces and a line of text): small on
 * disk, huge once decoded.
 */
export function pdfBomb(mb: number): Buffer {
  const content = zlib.deflateSync(Buffer.concat([Buffer.from('BT /F1 12 Tf 72 720 Td (Study) Tj ET\n'), Buffer.alloc(mb * 1048576, 0x20)]))
  const parts: (string | Buffer)[] = []
  const offsets: number[] = []
  let length = 0
  const push = (p: string | Buffer) => { parts.push(p); length += typeof p === 'string' ? Buffer.byteLength(p, 'latin1') : p.length }
  const obj = (n: number, body: string | Buffer[]) => {
    offsets[n] = length
    push(`${n} 0 obj\n`)
    if (typeof body === 'string') push(body)
    else for (const b of body) push(b)
    push('\nendobj\n')
  }
  push('%PDF-1.4\n')
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>')
  obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>')
  obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>')
  obj(4, [Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`), content, Buffer.from('\nendstream')])
  obj(5, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>')
  const xref = length
  push(`xref\n0 6\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`)
  push(`trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`)
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)))
}
