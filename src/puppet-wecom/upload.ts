import type { FileBoxInterface } from 'file-box'
import type { WSClient } from '@wecom/aibot-node-sdk'

// WeCom's upload limits over the long connection: 512 KB raw per chunk, at most 100 chunks.
const MAX_BYTES = 512 * 1024 * 100

/** Upload a FileBox as a temporary file (3 days) through `aibot_upload_media_*`; returns its media_id. */
export async function uploadFile(client: WSClient, file: FileBoxInterface): Promise<string> {
  const buffer = await file.toBuffer()
  if (buffer.length > MAX_BYTES) throw new Error(`file ${file.name} is ${buffer.length} bytes, over the 50 MB upload limit`)
  // The SDK splits into chunks, sends init / chunk x N / finish and checks the md5.
  const result = await client.uploadMedia(buffer, { type: 'file', filename: file.name })
  return result.media_id
}
