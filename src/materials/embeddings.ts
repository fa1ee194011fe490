import { createHash } from 'node:crypto'
import type OpenAI from 'openai'
import type { Logger } from '../log.ts'
import type { Redis } from '../store/redis.ts'
import type { Keys } from '../store/keys.ts'

/** Turns texts into unit-length vectors through an OpenAI-compatible embeddings endpoint, cached in Redis. */
export interface Embedder {
  readonly model: string
  /**
   * Vectors for `texts`, in order, each of unit length (so a dot product is the cosine). Cached
   * vectors come from Redis; only the missing ones are requested. Throws when the endpoint fails.
   */
  embed(texts: readonly string[], opts?: { timeoutMs?: number }): Promise<Float32Array[]>
}

export interface EmbedderOptions {
  client: OpenAI
  model: string
  log: Logger
  /** Without Redis nothing is cached across calls (a one-off CLI run). */
  redis?: Redis
  keys?: Keys
  /** Texts per request: local servers (llama.cpp, TEI, Ollama) often cap a request at 32 inputs. */
  batchSize?: number
  /** Per request; the client's own timeout applies when absent. */
  timeoutMs?: number
}

// Longer inputs are cut: small Chinese embedding models take 512 tokens, about this many characters.
const MAX_INPUT_CHARS = 1000
// GETs sent in one go when reading the cache; keys span Cluster slots, so no MGET.
const READ_CHUNK = 500

/** The input actually embedded for `text` (and whose digest names its cache key). */
export function embeddingInput(text: string): string {
  const t = text.trim()
  return t.length > MAX_INPUT_CHARS ? t.slice(0, MAX_INPUT_CHARS) : t
}

/** Build an Embedder on the openai client; concurrent calls for the same text share one request. */
export function createEmbedder(opts: EmbedderOptions): Embedder {
  const { client, model, log, redis, keys } = opts
  const batchSize = opts.batchSize ?? 32
  const inFlight = new Map<string, Promise<Float32Array>>()
  const keyOf = (digest: string) => keys!.embedding(model, digest)

  const readCache = async (digests: string[]): Promise<(Float32Array | undefined)[]> => {
    if (!redis || !keys || !digests.length) return digests.map(() => undefined)
    try {
      const out: (Float32Array | undefined)[] = []
      for (let i = 0; i < digests.length; i += READ_CHUNK) {
        const bufs = await Promise.all(digests.slice(i, i + READ_CHUNK).map((d) => redis.getBuffer(keyOf(d))))
        for (const b of bufs) out.push(b && b.length && b.length % 4 === 0 ? fromBytes(b) : undefined)
      }
      return out
    } catch (err) {
      log.warn({ err, model }, 'embedding cache unavailable, requesting vectors')
      return digests.map(() => undefined)
    }
  }

  const writeCache = async (entries: [string, Float32Array][]) => {
    if (!redis || !keys || !entries.length) return
    try {
      await Promise.all(entries.map(([d, v]) => redis.set(keyOf(d), toBytes(v))))
    } catch (err) {
      log.warn({ err, model }, 'embedding cache write failed')
    }
  }

  const request = async (batch: string[], timeoutMs?: number): Promise<Float32Array[]> => {
    const res = await client.embeddings.create(
      { model, input: batch, encoding_format: 'float' },
      timeoutMs ? { timeout: timeoutMs, maxRetries: 0, signal: AbortSignal.timeout(timeoutMs) } : { maxRetries: 0 },
    )
    const rows = [...res.data].sort((x, y) => x.index - y.index)
    if (rows.length !== batch.length) throw new Error(`embeddings endpoint returned ${rows.length} vectors for ${batch.length} inputs`)
    return rows.map((r) => unit(Float32Array.from(r.embedding)))
  }

  // each batch is cached as soon as it arrives, so a failure part way keeps what was done
  const fetchMissing = async (digests: string[], inputs: string[], timeoutMs?: number): Promise<Float32Array[]> => {
    const vectors = await readCache(digests)
    const missing = vectors.flatMap((v, i) => (v ? [] : [i]))
    for (let from = 0; from < missing.length; from += batchSize) {
      const at = missing.slice(from, from + batchSize)
      const fresh = await request(at.map((i) => inputs[i]!), timeoutMs)
      at.forEach((i, j) => { vectors[i] = fresh[j] })
      await writeCache(at.map((i, j) => [digests[i]!, fresh[j]!]))
    }
    if (missing.length) log.debug({ model, texts: missing.length, cached: digests.length - missing.length }, 'texts embedded')
    return vectors as Float32Array[]
  }

  return {
    model,
    async embed(texts, callOpts = {}) {
      const inputs = texts.map(embeddingInput)
      const digests = inputs.map(sha1)
      // texts already being fetched by another call wait for that request; the rest are fetched here
      const own = new Map<string, string>()
      digests.forEach((d, i) => { if (!inFlight.has(d)) own.set(d, inputs[i]!) })
      if (own.size) {
        const batch = fetchMissing([...own.keys()], [...own.values()], callOpts.timeoutMs ?? opts.timeoutMs)
        let j = 0
        for (const d of own.keys()) {
          const at = j++
          const one = batch.then((vs) => vs[at]!)
          one.catch(() => { /* reported to every caller awaiting it */ })
          inFlight.set(d, one)
          one.then(() => inFlight.delete(d), () => inFlight.delete(d))
        }
      }
      const waiting = new Map(digests.map((d) => [d, inFlight.get(d)!]))
      return Promise.all(digests.map((d) => waiting.get(d)!))
    },
  }
}

/** SHA-1 of a text, hex: names its vector in Redis. */
function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

/** Scale to unit length; a zero vector stays zero (its cosine with anything is 0). */
function unit(v: Float32Array): Float32Array {
  let n = 0
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!
  n = Math.sqrt(n)
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / n
  return v
}

// Stored as raw little-endian float32 (4 bytes a dimension, 6 KB for 1536 dimensions).
function toBytes(v: Float32Array): Buffer {
  const b = Buffer.allocUnsafe(v.length * 4)
  for (let i = 0; i < v.length; i++) b.writeFloatLE(v[i]!, i * 4)
  return b
}

function fromBytes(b: Buffer): Float32Array {
  const v = new Float32Array(b.length / 4)
  for (let i = 0; i < v.length; i++) v[i] = b.readFloatLE(i * 4)
  return v
}
