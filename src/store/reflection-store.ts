import { createHash } from 'node:crypto'
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

// KEYS: reflection hash, log stream, digests hash, member list, submitters set, reflection key prefix
// ARGV: id, digest, memberId, assignmentId, field/value pairs...
const submitLua = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists', ARGV[1]} end
local dup = redis.call('HGET', KEYS[3], ARGV[2])
if dup and redis.call('HGET', KEYS[6] .. dup, 'status') ~= 'withdrawn' then return {'duplicate', dup} end
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('XADD', KEYS[2], '*', 'id', ARGV[1])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[1])
redis.call('RPUSH', KEYS[4], ARGV[1])
if ARGV[4] ~= '' then redis.call('SADD', KEYS[5], ARGV[3]) end
return {'stored', ARGV[1]}
`

// Finds the member's latest non-withdrawn reflection for an assignment (shared by edit and withdraw).
// KEYS[1] member list, KEYS[2] the reflection key prefix (…:reflection:), ARGV[1] assignment id
const findLatestLua = `
local function latest(list, prefix, assignment)
  local ids = redis.call('LRANGE', list, 0, -1)
  for i = #ids, 1, -1 do
    local st = redis.call('HMGET', prefix .. ids[i], 'status', 'assignmentId')
    if st[1] and st[1] ~= 'withdrawn' and (st[2] or '') == assignment then return ids[i] end
  end
  return nil
end
`

// KEYS: member list, reflection prefix, digests hash; ARGV: assignment, new digest, text, chars, editedAt, editedMs
const editLua = findLatestLua + `
local id = latest(KEYS[1], KEYS[2], ARGV[1])
if not id then return {'none', ''} end
local key = KEYS[2] .. id
local owner = redis.call('HGET', KEYS[3], ARGV[2])
if owner == id then return {'unchanged', id} end
if owner and redis.call('HGET', KEYS[2] .. owner, 'status') ~= 'withdrawn' then return {'duplicate', owner} end
local old = redis.call('HGET', key, 'digest')
if old and redis.call('HGET', KEYS[3], old) == id then redis.call('HDEL', KEYS[3], old) end
redis.call('HSET', key, 'text', ARGV[3], 'chars', ARGV[4], 'editedAt', ARGV[5], 'editedMs', ARGV[6], 'status', 'edited', 'digest', ARGV[2])
redis.call('HSET', KEYS[3], ARGV[2], id)
return {'edited', id}
`

// KEYS: member list, reflection prefix, digests hash, submitters set; ARGV: assignment, memberId, withdrawnAt
const withdrawLua = findLatestLua + `
local id = latest(KEYS[1], KEYS[2], ARGV[1])
if not id then return {'none', ''} end
local key = KEYS[2] .. id
local digest = redis.call('HGET', key, 'digest')
if digest and redis.call('HGET', KEYS[3], digest) == id then redis.call('HDEL', KEYS[3], digest) end
redis.call('HSET', key, 'status', 'withdrawn', 'withdrawnAt', ARGV[3])
if ARGV[1] ~= '' and not latest(KEYS[1], KEYS[2], ARGV[1]) then redis.call('SREM', KEYS[4], ARGV[2]) end
return {'withdrawn', id}
`

type Scripted = Redis & {
  reflectionSubmit(...args: string[]): Promise<[string, string]>
  reflectionEdit(...args: string[]): Promise<[string, string]>
  reflectionWithdraw(...args: string[]): Promise<[string, string]>
}

function withScripts(redis: Redis): Scripted {
  const r = redis as Scripted
  if (typeof r.reflectionSubmit !== 'function') {
    redis.defineCommand('reflectionSubmit', { numberOfKeys: 6, lua: submitLua })
    redis.defineCommand('reflectionEdit', { numberOfKeys: 3, lua: editLua })
    redis.defineCommand('reflectionWithdraw', { numberOfKeys: 4, lua: withdrawLua })
  }
  return r
}

/** The reflection store's operations. */
export type ReflectionStore = ReturnType<typeof createReflectionStore>

/** Build the reflection store; the data model is described in docs/data-model.md. */
export function createReflectionStore(redis: Redis, keys: Keys, clock: Clock, timezone: string) {
  const r = withScripts(redis)
  const prefixOf = (group: string) => keys.reflection(group, '')

  const read = (raw: Record<string, string>): Reflection | undefined => {
    if (!raw.id) return undefined
    return {
      id: raw.id, group: raw.group, memberId: raw.memberId, memberName: raw.memberName,
      assignmentId: raw.assignmentId ?? '', text: raw.text, chars: Number(raw.chars),
      submittedAt: raw.submittedAt, submittedMs: Number(raw.submittedMs),
      ...(raw.editedAt ? { editedAt: raw.editedAt } : {}),
      ...(raw.withdrawnAt ? { withdrawnAt: raw.withdrawnAt } : {}),
      status: raw.status as ReflectionStatus,
    }
  }

  const getMany = async (group: string, ids: string[]): Promise<Reflection[]> => {
    if (!ids.length) return []
    const pipe = redis.pipeline()
    for (const id of ids) pipe.hgetall(keys.reflection(group, id))
    const results = (await pipe.exec()) ?? []
    const out: Reflection[] = []
    for (const [err, raw] of results) {
      if (err) throw err
      const rec = read(raw as Record<string, string>)
      if (rec) out.push(rec)
    }
    return out
  }

  const must = async (group: string, id: string): Promise<Reflection> => {
    const rec = await store.get(group, id)
    if (!rec) throw new Error(`reflection ${id} missing after script`)
    return rec
  }

  const store = {
    async get(group: string, id: string): Promise<Reflection | undefined> {
      return read(await redis.hgetall(keys.reflection(group, id)))
    },

    /** Store a reflection once: atomically, idempotent by `id`, and once per member and text. */
    async submit(input: NewReflection): Promise<SubmitResult> {
      const ms = input.submittedMs ?? clock.now()
      const assignmentId = input.assignmentId ?? ''
      const digest = reflectionDigest(input.memberId, input.text)
      const fields: Record<string, string> = {
        id: input.id, group: input.group, memberId: input.memberId, memberName: input.memberName,
        assignmentId, text: input.text, chars: String(countChars(input.text)),
        submittedAt: isoInZone(ms, timezone), submittedMs: String(ms), status: 'submitted', digest,
      }
      const [status, id] = await r.reflectionSubmit(
        keys.reflection(input.group, input.id), keys.reflectionLog(input.group), keys.reflectionDigests(input.group),
        keys.memberReflections(input.group, input.memberId), keys.submitters(input.group, assignmentId),
        prefixOf(input.group), input.id, digest, input.memberId, assignmentId, ...Object.entries(fields).flat(),
      )
      return { status: status as SubmitResult['status'], reflection: await must(input.group, id) }
    },

    /** Replace the text of the member's latest reflection for an assignment ('' for none). */
    async editLatest(group: string, memberId: string, assignmentId: string, text: string): Promise<ChangeResult> {
      const ms = clock.now()
      const [status, id] = await r.reflectionEdit(
        keys.memberReflections(group, memberId), prefixOf(group), keys.reflectionDigests(group),
        assignmentId, reflectionDigest(memberId, text), text, String(countChars(text)), isoInZone(ms, timezone), String(ms),
      )
      if (status === 'none') return { status: 'none' }
      return { status: status as 'edited' | 'unchanged' | 'duplicate', reflection: await must(group, id) }
    },

    /** Mark the member's latest reflection for an assignment as withdrawn (it stays in the record). */
    async withdrawLatest(group: string, memberId: string, assignmentId: string): Promise<ChangeResult> {
      const [status, id] = await r.reflectionWithdraw(
        keys.memberReflections(group, memberId), prefixOf(group), keys.reflectionDigests(group), keys.submitters(group, assignmentId),
        assignmentId, memberId, isoInZone(clock.now(), timezone),
      )
      if (status === 'none') return { status: 'none' }
      return { status: 'withdrawn', reflection: await must(group, id) }
    },

    /** A member's reflections in one group, oldest first, withdrawn ones included. */
    async listMember(group: string, memberId: string): Promise<Reflection[]> {
      return getMany(group, await redis.lrange(keys.memberReflections(group, memberId), 0, -1))
    },

    /** A group's reflections in submission-log order, one page at a time. */
    async *pages(group: string, filter: ReflectionFilter = {}): AsyncGenerator<Reflection[]> {
      const count = filter.pageSize ?? 1000
      let start = '-'
      for (;;) {
        const entries = await redis.xrange(keys.reflectionLog(group), start, '+', 'COUNT', count)
        if (!entries.length) return
        const ids = entries.map(([, fields]) => fields[fields.indexOf('id') + 1])
        const page = (await getMany(group, ids)).filter((x) =>
          (filter.sinceMs === undefined || x.submittedMs >= filter.sinceMs)
          && (filter.untilMs === undefined || x.submittedMs < filter.untilMs)
          && (filter.assignmentId === undefined || x.assignmentId === filter.assignmentId))
        if (page.length) yield page
        if (entries.length < count) return
        start = `(${entries[entries.length - 1][0]}`
      }
    },

    /** Every reflection of a group matching the filter, one at a time. */
    async *all(group: string, filter: ReflectionFilter = {}): AsyncGenerator<Reflection> {
      for await (const page of store.pages(group, filter)) yield* page
    },
  }
  return store
}
