import { createHash } from 'node:crypto'
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib'
import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import { isoInZone, type Clock } from '../clock.ts'

/** Where a reflection stands: as submitted, replaced by `#修改心得`, or withdrawn (kept for the record). */
export type ReflectionStatus = 'submitted' | 'edited' | 'withdrawn'

/** One reflection (心得) as stored; times are ISO 8601 in the configured zone (+08:00). */
export interface Reflection {
  id: string
  group: string
  memberId: string
  /** Display name at submission. */
  memberName: string
  /** The assignment it was submitted to; '' for none. */
  assignmentId: string
  text: string
  chars: number
  submittedAt: string
  submittedMs: number
  editedAt?: string
  withdrawnAt?: string
  status: ReflectionStatus
}

/** A new reflection; `id` is chosen by the caller so replays (journal, redelivery) apply once. */
export interface NewReflection {
  id: string
  group: string
  memberId: string
  memberName: string
  text: string
  assignmentId?: string
  /** Epoch ms of submission; defaults to now. */
  submittedMs?: number
}

/** Outcome of submit: stored now, already stored under this id, or the same text from this member. */
export type SubmitResult =
  | { status: 'stored'; reflection: Reflection }
  | { status: 'exists'; reflection: Reflection }
  | { status: 'duplicate'; reflection: Reflection }

/** Outcome of editing or withdrawing the latest reflection for an assignment. */
export type ChangeResult =
  | { status: 'edited' | 'withdrawn' | 'unchanged'; reflection: Reflection }
  | { status: 'duplicate'; reflection: Reflection }
  | { status: 'none' }

/** Filters for iterating a group's reflections (export). */
export interface ReflectionFilter {
  /** Inclusive lower bound on submission time, epoch ms. */
  sinceMs?: number
  /** Exclusive upper bound on submission time, epoch ms. */
  untilMs?: number
  assignmentId?: string
  /** Reflections per page (one XRANGE and one pipeline of HGETALL each). */
  pageSize?: number
}

/** A reflection with the id of its entry in the group's log (archive removes both). */
export interface LoggedReflection {
  logId: string
  reflection: Reflection
}

/** Whether a reflection passes a filter's time and assignment bounds (Redis and archives alike). */
export function matchesFilter(x: Reflection, filter: Omit<ReflectionFilter, 'pageSize'>): boolean {
  return (filter.sinceMs === undefined || x.submittedMs >= filter.sinceMs)
    && (filter.untilMs === undefined || x.submittedMs < filter.untilMs)
    && (filter.assignmentId === undefined || x.assignmentId === filter.assignmentId)
}

/** Characters that count toward 字数: every code point except whitespace. */
export function countChars(text: string): number {
  let n = 0
  for (const ch of text) if (!/\s/u.test(ch)) n++
  return n
}

/** Digest for duplicate detection: same member and same text up to width forms and whitespace. */
export function reflectionDigest(memberId: string, text: string): string {
  const normalized = text.normalize('NFKC').replace(/\s+/gu, '')
  return createHash('sha1').update(`${memberId}\n${normalized}`).digest('hex')
}

// Storage (docs/data-model.md): per group, one hash of id → meta JSON (every field but the text,
// values as strings) and one of id → brotli-compressed text; the scripts read and write the meta
// with cjson and never build a key themselves.

// KEYS: meta hash, text hash, log stream, digests hash, member list, submitters set
// ARGV: id, digest, memberId, assignmentId, meta JSON, compressed text
const submitLua = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {'exists', ARGV[1]} end
local dup = redis.call('HGET', KEYS[4], ARGV[2])
if dup then
  local m = redis.call('HGET', KEYS[1], dup)
  if m and cjson.decode(m).status ~= 'withdrawn' then return {'duplicate', dup} end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[5])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[6])
redis.call('XADD', KEYS[3], '*', 'id', ARGV[1])
redis.call('HSET', KEYS[4], ARGV[2], ARGV[1])
redis.call('RPUSH', KEYS[5], ARGV[1])
if ARGV[4] ~= '' then redis.call('SADD', KEYS[6], ARGV[3]) end
return {'stored', ARGV[1]}
`

// The member's latest non-withdrawn reflection for an assignment (shared by edit and withdraw).
const findLatestLua = `
local function latest(list, meta, assignment)
  local ids = redis.call('LRANGE', list, 0, -1)
  for i = #ids, 1, -1 do
    local m = redis.call('HGET', meta, ids[i])
    if m then
      local r = cjson.decode(m)
      if r.status ~= 'withdrawn' and (r.assignmentId or '') == assignment then return ids[i], r end
    end
  end
  return nil
end
`

// KEYS: member list, meta hash, text hash, digests hash; ARGV: assignment, new digest, compressed text, chars, editedMs
const editLua = findLatestLua + `
local id, r = latest(KEYS[1], KEYS[2], ARGV[1])
if not id then return {'none', ''} end
local owner = redis.call('HGET', KEYS[4], ARGV[2])
if owner == id then return {'unchanged', id} end
if owner then
  local om = redis.call('HGET', KEYS[2], owner)
  if om and cjson.decode(om).status ~= 'withdrawn' then return {'duplicate', owner} end
end
if r.digest and redis.call('HGET', KEYS[4], r.digest) == id then redis.call('HDEL', KEYS[4], r.digest) end
r.chars = ARGV[4]
r.editedMs = ARGV[5]
r.status = 'edited'
r.digest = ARGV[2]
redis.call('HSET', KEYS[2], id, cjson.encode(r))
redis.call('HSET', KEYS[3], id, ARGV[3])
redis.call('HSET', KEYS[4], ARGV[2], id)
return {'edited', id}
`

// KEYS: member list, meta hash, digests hash, submitters set; ARGV: assignment, memberId, withdrawnMs
const withdrawLua = findLatestLua + `
local id, r = latest(KEYS[1], KEYS[2], ARGV[1])
if not id then return {'none', ''} end
if r.digest and redis.call('HGET', KEYS[3], r.digest) == id then redis.call('HDEL', KEYS[3], r.digest) end
r.status = 'withdrawn'
r.withdrawnMs = ARGV[3]
redis.call('HSET', KEYS[2], id, cjson.encode(r))
if ARGV[1] ~= '' and not latest(KEYS[1], KEYS[2], ARGV[1]) then redis.call('SREM', KEYS[4], ARGV[2]) end
return {'withdrawn', id}
`

// Move one legacy reflection hash to the compact format (idempotent; another instance may race).
// KEYS: legacy hash, meta hash, text hash; ARGV: id, meta JSON, compressed text
const migrateLua = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
end
redis.call('DEL', KEYS[1])
return 1
`

// Take one reflection out of Redis (it was archived); its digest goes only if it still names it.
// KEYS: meta hash, text hash, log stream, digests hash, member list; ARGV: id, log entry id
const removeLua = `
local m = redis.call('HGET', KEYS[1], ARGV[1])
if m then
  local d = cjson.decode(m).digest
  if d and redis.call('HGET', KEYS[4], d) == ARGV[1] then redis.call('HDEL', KEYS[4], d) end
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('XDEL', KEYS[3], ARGV[2])
redis.call('LREM', KEYS[5], 1, ARGV[1])
return 1
`

type Arg = string | Buffer
type Scripted = Redis & {
  reflectionSubmit(...args: Arg[]): Promise<[string, string]>
  reflectionEdit(...args: Arg[]): Promise<[string, string]>
  reflectionWithdraw(...args: Arg[]): Promise<[string, string]>
  reflectionMigrate(...args: Arg[]): Promise<number>
  reflectionRemove(...args: Arg[]): Promise<number>
}

function withScripts(redis: Redis): Scripted {
  const r = redis as Scripted
  if (typeof r.reflectionMigrate !== 'function') {
    redis.defineCommand('reflectionSubmit', { numberOfKeys: 6, lua: submitLua })
    redis.defineCommand('reflectionEdit', { numberOfKeys: 4, lua: editLua })
    redis.defineCommand('reflectionWithdraw', { numberOfKeys: 4, lua: withdrawLua })
    redis.defineCommand('reflectionMigrate', { numberOfKeys: 3, lua: migrateLua })
    redis.defineCommand('reflectionRemove', { numberOfKeys: 5, lua: removeLua })
  }
  return r
}

/** Everything stored about a reflection but its text (as strings, so Lua's cjson keeps them exact). */
interface Meta {
  memberId: string
  memberName: string
  assignmentId: string
  chars: string
  submittedMs: string
  status: ReflectionStatus
  digest: string
  editedMs?: string
  withdrawnMs?: string
}

// quality 5: most of the gain of 11 at a fraction of the CPU; the size hint suits short texts
const compress = (text: string): Buffer => brotliCompressSync(text, {
  params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(text) },
})
const decompress = (bytes: Buffer): string => brotliDecompressSync(bytes).toString('utf8')

/** The reflection store's operations. */
export type ReflectionStore = ReturnType<typeof createReflectionStore>

/** Build the reflection store; the data model is described in docs/data-model.md. */
export function createReflectionStore(redis: Redis, keys: Keys, clock: Clock, timezone: string) {
  const r = withScripts(redis)

  const toReflection = (group: string, id: string, m: Meta, text: string): Reflection => ({
    id, group, memberId: m.memberId, memberName: m.memberName, assignmentId: m.assignmentId ?? '',
    text, chars: Number(m.chars),
    submittedAt: isoInZone(Number(m.submittedMs), timezone), submittedMs: Number(m.submittedMs),
    ...(m.editedMs ? { editedAt: isoInZone(Number(m.editedMs), timezone) } : {}),
    ...(m.withdrawnMs ? { withdrawnAt: isoInZone(Number(m.withdrawnMs), timezone) } : {}),
    status: m.status,
  })

  // Legacy data (one hash per reflection) moves to the compact format the first time this process
  // touches the group; a failure (Redis down) is thrown to the caller and tried again next time.
  const compacted = new Map<string, Promise<void>>()
  const ensureCompact = (group: string): Promise<void> => {
    let p = compacted.get(group)
    if (!p) {
      p = migrateGroup(group)
      p.catch(() => compacted.delete(group))
      compacted.set(group, p)
    }
    return p
  }
  const migrateGroup = async (group: string): Promise<void> => {
    if (await redis.get(keys.reflectionFormat(group)) === '2') return
    let start = '-'
    for (;;) {
      const entries = await redis.xrange(keys.reflectionLog(group), start, '+', 'COUNT', 500)
      if (!entries.length) break
      const ids = entries.map(([, fields]) => fields[fields.indexOf('id') + 1]!)
      const pipe = redis.pipeline()
      for (const id of ids) pipe.hgetall(keys.reflection(group, id))
      const rows = (await pipe.exec()) ?? []
      for (const [i, [err, raw]] of rows.entries()) {
        if (err) throw err
        const h = raw as Record<string, string>
        if (!h.id) continue
        const meta: Meta = {
          memberId: h.memberId, memberName: h.memberName, assignmentId: h.assignmentId ?? '', chars: h.chars,
          submittedMs: h.submittedMs, status: h.status as ReflectionStatus, digest: h.digest ?? '',
          ...(h.editedMs ? { editedMs: h.editedMs } : {}),
          ...(h.withdrawnAt ? { withdrawnMs: String(Date.parse(h.withdrawnAt)) } : {}),
        }
        await r.reflectionMigrate(keys.reflection(group, ids[i]!), keys.reflectionMeta(group), keys.reflectionText(group),
          ids[i]!, JSON.stringify(meta), compress(h.text ?? ''))
      }
      if (entries.length < 500) break
      start = `(${entries[entries.length - 1]![0]}`
    }
    await redis.set(keys.reflectionFormat(group), '2')
  }

  const getMany = async (group: string, ids: string[]): Promise<Reflection[]> => {
    if (!ids.length) return []
    const [metas, texts] = await Promise.all([
      redis.hmget(keys.reflectionMeta(group), ...ids),
      redis.hmgetBuffer(keys.reflectionText(group), ...ids),
    ])
    const out: Reflection[] = []
    ids.forEach((id, i) => {
      const m = metas[i]
      if (m) out.push(toReflection(group, id, JSON.parse(m) as Meta, texts[i] ? decompress(texts[i]!) : ''))
    })
    return out
  }

  const must = async (group: string, id: string): Promise<Reflection> => {
    const [rec] = await getMany(group, [id])
    if (!rec) throw new Error(`reflection ${id} missing after script`)
    return rec
  }

  const store = {
    async get(group: string, id: string): Promise<Reflection | undefined> {
      await ensureCompact(group)
      return (await getMany(group, [id]))[0]
    },

    /** Store a reflection once: atomically, idempotent by `id`, and once per member and text. */
    async submit(input: NewReflection): Promise<SubmitResult> {
      await ensureCompact(input.group)
      const ms = input.submittedMs ?? clock.now()
      const assignmentId = input.assignmentId ?? ''
      const digest = reflectionDigest(input.memberId, input.text)
      const meta: Meta = {
        memberId: input.memberId, memberName: input.memberName, assignmentId,
        chars: String(countChars(input.text)), submittedMs: String(ms), status: 'submitted', digest,
      }
      const [status, id] = await r.reflectionSubmit(
        keys.reflectionMeta(input.group), keys.reflectionText(input.group), keys.reflectionLog(input.group),
        keys.reflectionDigests(input.group), keys.memberReflections(input.group, input.memberId), keys.submitters(input.group, assignmentId),
        input.id, digest, input.memberId, assignmentId, JSON.stringify(meta), compress(input.text),
      )
      return { status: status as SubmitResult['status'], reflection: await must(input.group, id) }
    },

    /** Replace the text of the member's latest reflection for an assignment ('' for none). */
    async editLatest(group: string, memberId: string, assignmentId: string, text: string): Promise<ChangeResult> {
      await ensureCompact(group)
      const [status, id] = await r.reflectionEdit(
        keys.memberReflections(group, memberId), keys.reflectionMeta(group), keys.reflectionText(group), keys.reflectionDigests(group),
        assignmentId, reflectionDigest(memberId, text), compress(text), String(countChars(text)), String(clock.now()),
      )
      if (status === 'none') return { status: 'none' }
      return { status: status as 'edited' | 'unchanged' | 'duplicate', reflection: await must(group, id) }
    },

    /** Mark the member's latest reflection for an assignment as withdrawn (it stays in the record). */
    async withdrawLatest(group: string, memberId: string, assignmentId: string): Promise<ChangeResult> {
      await ensureCompact(group)
      const [status, id] = await r.reflectionWithdraw(
        keys.memberReflections(group, memberId), keys.reflectionMeta(group), keys.reflectionDigests(group), keys.submitters(group, assignmentId),
        assignmentId, memberId, String(clock.now()),
      )
      if (status === 'none') return { status: 'none' }
      return { status: 'withdrawn', reflection: await must(group, id) }
    },

    /** A member's reflections in one group, oldest first, withdrawn ones included. */
    async listMember(group: string, memberId: string): Promise<Reflection[]> {
      await ensureCompact(group)
      return getMany(group, await redis.lrange(keys.memberReflections(group, memberId), 0, -1))
    },

    /** A group's reflections in submission-log order with their log entry ids, one page at a time. */
    async *logPages(group: string, pageSize = 1000): AsyncGenerator<LoggedReflection[]> {
      await ensureCompact(group)
      let start = '-'
      for (;;) {
        const entries = await redis.xrange(keys.reflectionLog(group), start, '+', 'COUNT', pageSize)
        if (!entries.length) return
        const ids = entries.map(([, fields]) => fields[fields.indexOf('id') + 1]!)
        const found = new Map((await getMany(group, ids)).map((r) => [r.id, r]))
        const page = entries.flatMap(([logId], i) => {
          const reflection = found.get(ids[i]!)
          return reflection ? [{ logId, reflection }] : []
        })
        if (page.length) yield page
        if (entries.length < pageSize) return
        start = `(${entries[entries.length - 1]![0]}`
      }
    },

    /** A group's reflections in submission-log order, one page at a time. */
    async *pages(group: string, filter: ReflectionFilter = {}): AsyncGenerator<Reflection[]> {
      for await (const logged of store.logPages(group, filter.pageSize)) {
        const page = logged.map((l) => l.reflection).filter((x) => matchesFilter(x, filter))
        if (page.length) yield page
      }
    },

    /** Take archived reflections out of Redis (idempotent: one already gone is skipped). */
    async remove(group: string, items: { logId: string; id: string; memberId: string }[]): Promise<void> {
      if (!items.length) return
      const pipe = redis.pipeline() as unknown as Scripted
      for (const it of items) {
        pipe.reflectionRemove(keys.reflectionMeta(group), keys.reflectionText(group), keys.reflectionLog(group),
          keys.reflectionDigests(group), keys.memberReflections(group, it.memberId), it.id, it.logId)
      }
      for (const [err] of (await (pipe as unknown as ReturnType<Redis['pipeline']>).exec()) ?? []) if (err) throw err
    },

    /** Every reflection of a group matching the filter, one at a time. */
    async *all(group: string, filter: ReflectionFilter = {}): AsyncGenerator<Reflection> {
      for await (const page of store.pages(group, filter)) yield* page
    },
  }
  return store
}
