import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { ReplyError } from 'ioredis'
import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'

/** Whether Redis keeps data across a restart: AOF, RDB snapshots (`undefined`: could not be read). */
export interface Persistence {
  aof: boolean
  rdb: boolean | undefined
  /** Where it was read: CONFIG GET, or INFO persistence where CONFIG is refused (managed Redis). */
  via: 'config' | 'info'
}

/** Read Redis's persistence settings: CONFIG GET appendonly / save, else INFO persistence. */
export async function readPersistence(redis: Redis): Promise<Persistence> {
  try {
    const [, appendonly] = await redis.config('GET', 'appendonly') as string[]
    const [, save] = await redis.config('GET', 'save') as string[]
    if (appendonly !== undefined && save !== undefined) return { aof: appendonly === 'yes', rdb: save.trim() !== '', via: 'config' }
  } catch (err) {
    // CONFIG renamed or not permitted (ACL, managed services): INFO still says whether AOF is on
    if (!(err instanceof ReplyError)) throw err
  }
  const info = await redis.info('persistence')
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim()
  // INFO has no save schedule; a snapshot taken at some point is the only sign of RDB
  return { aof: field('aof_enabled') === '1', rdb: undefined, via: 'info' }
}

/** What the data marker says about the Redis this data folder used before. */
export type MarkerCheck = 'first-start' | 'intact' | 'emptied'

/**
 * Detect a Redis that came back empty: the first start writes a marker key, and remembers its id
 * in `dataDir/redis-marker`; a later check that finds the id remembered but the key gone means
 * Redis lost its data. The marker is written again after each check, so it is reported once.
 */
export async function checkDataMarker(redis: Redis, keys: Keys, dataDir: string, now: number): Promise<MarkerCheck> {
  const file = path.join(dataDir, 'redis-marker')
  const remembered = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : ''
  const stored = await redis.get(keys.dataMarker())
  const id = stored ? (JSON.parse(stored) as { id: string }).id : undefined
  if (id) {
    // another folder (or a moved one) wrote it: this Redis has data, adopt its marker
    if (id !== remembered) remember(file, id)
    return 'intact'
  }
  const fresh = randomUUID()
  // NX: two checks at once (start and a reconnect) write one marker
  const written = await redis.set(keys.dataMarker(), JSON.stringify({ id: fresh, createdAt: new Date(now).toISOString() }), 'NX')
  const current = written ? fresh : (JSON.parse((await redis.get(keys.dataMarker())) ?? '{}') as { id?: string }).id ?? fresh
  remember(file, current)
  return remembered ? 'emptied' : 'first-start'
}

function remember(file: string, id: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.tmp`
  fs.writeFileSync(tmp, `${id}\n`)
  fs.renameSync(tmp, file)
}
