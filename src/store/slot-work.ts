import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import { withScripts } from './scripts.ts'

/** What happened to one group of a slot's broadcast, as the work list records it. */
export interface GroupOutcome {
  outcome: 'sent' | 'failed' | 'unconfirmed' | 'missed' | 'finished' | 'nothing'
  at: number
  error?: string
  /** The lease token of the instance that recorded it. */
  by?: string
}

/** A group handed to one instance: send it, or (`unconfirmed`) it was recorded as such because its sender died mid-send. */
export interface Taken {
  group: string
  kind: 'take' | 'unconfirmed'
}

// Keys of one slot (all under one hash tag): pending zset (group -> lease expiry, 0 = free),
// leases hash (group -> token of the lease holder), inflight hash (group -> token that began
// sending), done hash (group -> outcome JSON), meta hash.
const createLua = `
if redis.call('EXISTS', KEYS[5]) == 1 then return 0 end
redis.call('HSET', KEYS[5], 'total', #ARGV - 2, 'createdAt', ARGV[2])
for i = 3, #ARGV do redis.call('ZADD', KEYS[1], 0, ARGV[i]) end
for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
return 1`

// ARGV: now, lease until, token, max, ttl, groups not to take (this instance cannot reach them)... A group whose lease lapsed after its holder began
// sending may have been delivered: it is recorded unconfirmed, never sent again. At most
// max + #skip free groups are read: enough for max of them not skipped.
const takeLua = `
local out = {}
local skip = {}
for i = 6, #ARGV do skip[ARGV[i]] = true end
local limit = tonumber(ARGV[4])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, limit + #ARGV - 5)
local n = 0
for _, g in ipairs(due) do
  if n >= limit then break end
  if not skip[g] then
    n = n + 1
    local began = redis.call('HGET', KEYS[3], g)
    if began then
      redis.call('HSET', KEYS[4], g, cjson.encode({ outcome = 'unconfirmed', at = tonumber(ARGV[1]), by = began, error = 'began' }))
      redis.call('ZREM', KEYS[1], g)
      redis.call('HDEL', KEYS[2], g)
      redis.call('HDEL', KEYS[3], g)
      out[#out + 1] = g
      out[#out + 1] = 'unconfirmed'
    else
      redis.call('ZADD', KEYS[1], ARGV[2], g)
      redis.call('HSET', KEYS[2], g, ARGV[3])
      out[#out + 1] = g
      out[#out + 1] = 'take'
    end
  end
end
for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[5]) end
return out`

// ARGV: token, lease until, groups... Only the lease holder begins; the lease is renewed. One
// flag per group (1: begun).
const beginLua = `
local out = {}
for i = 3, #ARGV do
  local g = ARGV[i]
  if redis.call('HGET', KEYS[2], g) == ARGV[1] and redis.call('ZSCORE', KEYS[1], g) then
    redis.call('HSET', KEYS[3], g, ARGV[1])
    redis.call('ZADD', KEYS[1], ARGV[2], g)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out`

// ARGV: token, then group and outcome JSON pairs. Records each once; the sender itself may
// replace the 'unconfirmed' a taker recorded for it while it was slow (it knows the outcome).
// One flag per group (1: recorded).
const finishLua = `
local out = {}
for i = 2, #ARGV, 2 do
  local g = ARGV[i]
  local cur = redis.call('HGET', KEYS[4], g)
  local ok = true
  if cur then
    local d = cjson.decode(cur)
    ok = d.outcome == 'unconfirmed' and d.by == ARGV[1]
  end
  if ok then
    redis.call('HSET', KEYS[4], g, ARGV[i + 1])
    redis.call('ZREM', KEYS[1], g)
    if redis.call('HGET', KEYS[2], g) == ARGV[1] then redis.call('HDEL', KEYS[2], g) end
    if redis.call('HGET', KEYS[3], g) == ARGV[1] then redis.call('HDEL', KEYS[3], g) end
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out`

// ARGV: group, token, free at, why (may be empty). The lease holder gives the group back unsent
// (it cannot reach it); `why` is kept in meta as 'unreached:<group>' until another instance sends it.
const releaseLua = `
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] or redis.call('HGET', KEYS[3], ARGV[1]) then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[4], 'unreached:' .. ARGV[1], ARGV[4]) end
return 1`

// ARGV: now, outcome JSON, unreached outcome JSON (error filled from the note). Every group not
// leased now (never taken, or its lease lapsed without a send begun) is recorded with the outcome
// (missed: slot too old, or the grace window ended); one no instance could reach, as failed with
// why. Returns group, outcome and note triples.
const closeLua = `
local out = {}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, g in ipairs(due) do
  local began = redis.call('HGET', KEYS[3], g)
  local why = redis.call('HGET', KEYS[5], 'unreached:' .. g)
  local rec = ARGV[2]
  local outcome = cjson.decode(ARGV[2]).outcome
  if began then
    outcome = 'unconfirmed'
    rec = cjson.encode({ outcome = outcome, at = tonumber(ARGV[1]), by = began, error = 'began' })
  elseif why then
    local d = cjson.decode(ARGV[3])
    d.error = why
    outcome = d.outcome
    rec = cjson.encode(d)
  end
  redis.call('HSET', KEYS[4], g, rec)
  redis.call('ZREM', KEYS[1], g)
  redis.call('HDEL', KEYS[2], g)
  redis.call('HDEL', KEYS[3], g)
  out[#out + 1] = g
  out[#out + 1] = outcome
  out[#out + 1] = why or ''
end
return out`

/** Per-slot broadcast work lists with leases (docs/schedules.md "Broadcasts"). */
export type SlotWork = ReturnType<typeof createSlotWork>

/** Build the work-list store on a Redis client. */
export function createSlotWork(redis: Redis, keys: Keys) {
  const s = withScripts(redis, {
    slotWorkCreate: { keys: 5, lua: createLua },
    slotWorkTake: { keys: 4, lua: takeLua },
    slotWorkBegin: { keys: 3, lua: beginLua },
    slotWorkFinish: { keys: 4, lua: finishLua },
    slotWorkClose: { keys: 5, lua: closeLua },
    slotWorkRelease: { keys: 4, lua: releaseLua },
  })
  const k = (id: string, slot: number) => keys.slotWork(id, slot)
  const four = (id: string, slot: number) => { const w = k(id, slot); return [w.pending, w.leases, w.inflight, w.done] }
  return {
    /** Write the slot's groups once (idempotent across instances and restarts); true if this call wrote them. */
    async create(id: string, slot: number, groups: readonly string[], ttlMs: number, now: number): Promise<boolean> {
      const w = k(id, slot)
      return await s.slotWorkCreate(w.pending, w.leases, w.inflight, w.done, w.meta, String(ttlMs), String(now), ...groups) === 1
    },
    /** Lease up to `max` free groups until `leaseUntil`, none of `skip`. */
    async take(id: string, slot: number, o: { now: number; leaseUntil: number; token: string; max: number; ttlMs: number; skip?: readonly string[] }): Promise<Taken[]> {
      const flat = await s.slotWorkTake(...four(id, slot), String(o.now), String(o.leaseUntil), o.token, String(o.max), String(o.ttlMs), ...(o.skip ?? [])) as string[]
      const out: Taken[] = []
      for (let i = 0; i < flat.length; i += 2) out.push({ group: flat[i], kind: flat[i + 1] as Taken['kind'] })
      return out
    },
    /**
     * Mark that the lease holder is about to send to each of `groups` (after this, a lapsed lease
     * means "maybe delivered"), renewing the lease; per group, false if its lease is gone.
     */
    async begin(id: string, slot: number, groups: readonly string[], token: string, leaseUntil: number): Promise<boolean[]> {
      if (!groups.length) return []
      const [pending, leases, inflight] = four(id, slot)
      return (await s.slotWorkBegin(pending, leases, inflight, token, String(leaseUntil), ...groups) as number[]).map((f) => f === 1)
    },
    /**
     * Give a leased group back unsent, free for any instance from `freeAt`; `unreached` says why
     * this instance could not reach it (recorded as the group's failure if no instance ever does).
     * False if the lease is gone.
     */
    async release(id: string, slot: number, group: string, token: string, freeAt: number, unreached = ''): Promise<boolean> {
      const w = k(id, slot)
      return await s.slotWorkRelease(w.pending, w.leases, w.inflight, w.meta, group, token, String(freeAt), unreached) === 1
    },
    /** Record each group's outcome once; per group, false if another record stands. */
    async finish(id: string, slot: number, token: string, records: ReadonlyArray<{ group: string; outcome: GroupOutcome }>): Promise<boolean[]> {
      if (!records.length) return []
      const args = records.flatMap((r) => [r.group, JSON.stringify({ ...r.outcome, by: token })])
      return (await s.slotWorkFinish(...four(id, slot), token, ...args) as number[]).map((f) => f === 1)
    },
    /**
     * Record every group not leased now with `o` (a missed slot, the grace window over), or, when
     * an instance left a note that it could not reach the group, as failed with that reason.
     * Returns the groups with the outcome recorded.
     */
    async close(id: string, slot: number, now: number, o: GroupOutcome): Promise<Array<{ group: string; outcome: GroupOutcome['outcome']; error?: string }>> {
      const w = k(id, slot)
      const flat = await s.slotWorkClose(w.pending, w.leases, w.inflight, w.done, w.meta, String(now), JSON.stringify(o), JSON.stringify({ ...o, outcome: 'failed' })) as string[]
      const out: Array<{ group: string; outcome: GroupOutcome['outcome']; error?: string }> = []
      for (let i = 0; i < flat.length; i += 3) out.push({ group: flat[i], outcome: flat[i + 1] as GroupOutcome['outcome'], ...(flat[i + 2] ? { error: flat[i + 2] } : {}) })
      return out
    },
    /** Whether the slot's work list was written (some instance began the broadcast). */
    async exists(id: string, slot: number): Promise<boolean> {
      return await redis.exists(k(id, slot).meta) === 1
    },
    /** Whether some group is free to take at `now` besides `skip` (those this instance cannot reach). */
    async freeBesides(id: string, slot: number, now: number, skip: ReadonlySet<string>): Promise<boolean> {
      const due = await redis.zrangebyscore(k(id, slot).pending, '-inf', String(now), 'LIMIT', 0, skip.size + 1)
      return due.some((g) => !skip.has(g))
    },
    /** Groups still to do, and the earliest time one of them is free to take (0: now). */
    async remaining(id: string, slot: number): Promise<{ count: number; nextFree?: number }> {
      const w = k(id, slot)
      const [count, first] = await Promise.all([redis.zcard(w.pending), redis.zrange(w.pending, '0', '0', 'WITHSCORES')])
      return { count, ...(first.length ? { nextFree: Number(first[1]) } : {}) }
    },
    /** Every group's recorded outcome, and how many groups the slot had (0 if never written). */
    async results(id: string, slot: number): Promise<{ total: number; done: Record<string, GroupOutcome> }> {
      const w = k(id, slot)
      const [total, raw] = await Promise.all([redis.hget(w.meta, 'total'), redis.hgetall(w.done)])
      return { total: Number(total ?? 0), done: Object.fromEntries(Object.entries(raw).map(([g, v]) => [g, JSON.parse(v) as GroupOutcome])) }
    },
  }
}
