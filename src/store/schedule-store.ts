import { isCluster, type Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'
import type { ScheduleConfig } from '../config.ts'
import { redactSecrets } from '../util/redact.ts'

/**
 * What happened to one slot in one group. `nothing`: there was nothing to send that day (no
 * political birthday). `finished`: a study plan ran out and secretaries were
 * told. `unconfirmed`: sent, but the platform never confirmed it; not resent (it was most likely
 * delivered, and a second copy is worse than a late receipt).
 */
export type FiringOutcome = 'sent' | 'failed' | 'unconfirmed' | 'missed' | 'finished' | 'nothing'

/** One firing record. */
export interface Firing {
  scheduleId: string
  group: string
  /** The cron slot (epoch ms); for `#定时 立即`, the time it was asked for. */
  slot: number
  outcome: FiringOutcome
  /** When the outcome was recorded. */
  at: number
  /** Fired after its slot (catch-up on start within the grace window). */
  late?: boolean
  /** Fired by `#定时 立即`, outside the cron. */
  manual?: boolean
  error?: string
  /** The platform's kind of failure (refused, not-activated, unconfirmed, …) when it said one. */
  failure?: string
}

/** A schedule, from the config or added in chat. */
export type ScheduleDef = Omit<ScheduleConfig, 'paused'> & {
  source: 'config' | 'chat'
  /** Paused in the config file; a pause or resume from chat overrides it. */
  paused: boolean
  /** How it was written, e.g. 每周一 09:00 (chat schedules). */
  label?: string
  createdBy?: string
  createdAt?: number
}

/** How one slot's broadcast ended, over all its groups. */
export interface SlotSummary {
  slot: number
  total: number
  sent: number
  failed: number
  missed: number
  unconfirmed: number
  /** Groups not reached (failed, unconfirmed), with the reason, at most 20. */
  problems: Array<{ group: string; outcome: FiringOutcome; error?: string }>
}

/** Pause state and progress of one schedule. */
export interface ScheduleState {
  /** Set when paused or resumed from chat; overrides the config's `paused`. */
  paused?: boolean
  /** The newest slot any instance has seen (ticked, caught up or recorded missed). */
  lastSlot?: number
  last?: Firing
  /** The newest finished broadcast slot's counts. */
  slotSummary?: SlotSummary
}

/** How many firing records are kept per schedule and group. */
const firingsKept = 50

// Raise lastSlot only forward, so instances that see slots out of order never move it back.
const advanceScript = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'lastSlot') or '0')
if tonumber(ARGV[1]) > cur then redis.call('HSET', KEYS[1], 'lastSlot', ARGV[1]) return 1 end
return 0`

// ARGV: slot, manual ('1'), firing JSON
const lastScript = `
local cur = redis.call('HGET', KEYS[1], 'last')
if ARGV[2] ~= '1' and cur and tonumber(cjson.decode(cur).slot) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'last', ARGV[3])
return 1`

// KEYS: firing lists; ARGV: how many to keep, then one record per list.
const pushScript = `
for i = 1, #KEYS do
  redis.call('LPUSH', KEYS[i], ARGV[i + 1])
  redis.call('LTRIM', KEYS[i], 0, tonumber(ARGV[1]) - 1)
end
return #KEYS`

const summaryScript = `
local cur = redis.call('HGET', KEYS[1], 'slotSummary')
if cur and tonumber(cjson.decode(cur).slot) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'slotSummary', ARGV[2])
return 1`

function readState(raw: Record<string, string>): ScheduleState {
  return {
    ...(raw.paused !== undefined ? { paused: raw.paused === '1' } : {}),
    ...(raw.lastSlot ? { lastSlot: Number(raw.lastSlot) } : {}),
    ...(raw.last ? { last: JSON.parse(raw.last) as Firing } : {}),
    ...(raw.slotSummary ? { slotSummary: JSON.parse(raw.slotSummary) as SlotSummary } : {}),
  }
}

/** Chat schedules, pause state, slot claims, firing records and study-plan cursors in Redis. */
export type ScheduleStore = ReturnType<typeof createScheduleStore>

/** Build the schedule store on a Redis client. */
export function createScheduleStore(redis: Redis, keys: Keys, clock: Clock) {
  const store = {
    /** Save a new chat schedule under a fresh id (c1, c2, ...) that no config schedule uses. */
    async addChat(def: Omit<ScheduleDef, 'id' | 'source' | 'createdAt' | 'paused'>, taken: ReadonlySet<string>): Promise<ScheduleDef> {
      for (;;) {
        const id = `c${await redis.incr(keys.scheduleSeq())}`
        if (taken.has(id)) continue
        const full: ScheduleDef = { ...def, id, source: 'chat', paused: false, createdAt: clock.now() }
        if (await redis.hsetnx(keys.chatSchedules(), id, JSON.stringify(full))) return full
      }
    },
    /** Every chat schedule, by id order. */
    async chatSchedules(): Promise<ScheduleDef[]> {
      const all = await redis.hgetall(keys.chatSchedules())
      return Object.values(all).map((v) => JSON.parse(v) as ScheduleDef)
        .sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)))
    },
    async getChat(id: string): Promise<ScheduleDef | undefined> {
      const raw = await redis.hget(keys.chatSchedules(), id)
      return raw ? JSON.parse(raw) as ScheduleDef : undefined
    },
    /** Delete a chat schedule and its state; false if there was none. */
    async removeChat(id: string): Promise<boolean> {
      const [[, removed]] = (await redis.multi().hdel(keys.chatSchedules(), id).del(keys.scheduleState(id)).exec()) as [[unknown, number]]
      return removed === 1
    },

    async state(id: string): Promise<ScheduleState> {
      return readState(await redis.hgetall(keys.scheduleState(id)))
    },
    /** States of many schedules in one round trip, in the order of `ids`. */
    async states(ids: string[]): Promise<ScheduleState[]> {
      if (!ids.length) return []
      const p = redis.pipeline()
      for (const id of ids) p.hgetall(keys.scheduleState(id))
      const res = (await p.exec()) ?? []
      return res.map(([err, raw]) => {
        if (err) throw err
        return readState(raw as Record<string, string>)
      })
    },
    /** Pause or resume; resuming also moves lastSlot to now so paused slots are not caught up. */
    async setPaused(id: string, paused: boolean): Promise<void> {
      const m = redis.multi().hset(keys.scheduleState(id), 'paused', paused ? '1' : '0')
      if (!paused) m.hset(keys.scheduleState(id), 'lastSlot', String(clock.now()))
      await m.exec()
    },
    /** Record that `slot` has been seen; lastSlot only moves forward. */
    async advanceLastSlot(id: string, slot: number): Promise<void> {
      await redis.eval(advanceScript, 1, keys.scheduleState(id), String(slot))
    },

    /** Append a firing record and make it the schedule's last outcome. */
    async recordFiring(f: Firing): Promise<void> {
      // an error text may quote a webhook URL: its key is never stored
      const json = redactSecrets(JSON.stringify(f))
      await redis.multi()
        .lpush(keys.firings(f.group, f.scheduleId), json)
        .ltrim(keys.firings(f.group, f.scheduleId), 0, firingsKept - 1)
        .exec()
      // keep the newest slot as "last"; a late missed record must not hide a newer send
      await redis.eval(lastScript, 1, keys.scheduleState(f.scheduleId), String(f.slot), f.manual ? '1' : '0', json)
    },
    /**
     * Firing records of many groups at once (a broadcast's batch): each appended to its group's
     * list, the last one made the schedule's last outcome. One script for the batch on one Redis
     * node; on a Redis Cluster, where each group's list has its own slot, one pipeline per group.
     */
    async recordFirings(fs: readonly Firing[]): Promise<void> {
      if (!fs.length) return
      const jsons = fs.map((f) => redactSecrets(JSON.stringify(f)))
      const lists = fs.map((f) => keys.firings(f.group, f.scheduleId))
      const pushed = isCluster(redis)
        ? Promise.all(lists.map((k, i) => redis.pipeline().lpush(k, jsons[i]).ltrim(k, 0, firingsKept - 1).exec()))
        : redis.eval(pushScript, lists.length, ...lists, String(firingsKept), ...jsons)
      const lastOf = new Map(fs.map((f, i) => [f.scheduleId, i]))
      await Promise.all([
        pushed,
        ...[...lastOf.values()].map((i) => redis.eval(lastScript, 1, keys.scheduleState(fs[i].scheduleId), String(fs[i].slot), fs[i].manual ? '1' : '0', jsons[i])),
      ])
    },
    /** Keep a finished slot's counts as the schedule's last broadcast (a newer slot's stay). */
    async recordSlotSummary(id: string, summary: SlotSummary): Promise<void> {
      await redis.eval(summaryScript, 1, keys.scheduleState(id), String(summary.slot), JSON.stringify(summary))
    },
    /** The newest firing records of a schedule in a group, newest first. */
    async firings(group: string, id: string, n = 10): Promise<Firing[]> {
      return (await redis.lrange(keys.firings(group, id), 0, n - 1)).map((v) => JSON.parse(v) as Firing)
    },

    /** Study plan progress in a group: the index of the next passage, and whether the end was announced. */
    async cursor(group: string, id: string): Promise<{ next: number; endAnnounced: boolean }> {
      const raw = await redis.hgetall(keys.studyCursor(group, id))
      return { next: Number(raw.next ?? 0), endAnnounced: raw.endAnnounced === '1' }
    },
    async setCursor(group: string, id: string, next: number): Promise<void> {
      await redis.hset(keys.studyCursor(group, id), { next: String(next), endAnnounced: '0' })
    },
    async markEndAnnounced(group: string, id: string): Promise<void> {
      await redis.hset(keys.studyCursor(group, id), 'endAnnounced', '1')
    },

    /**
     * Move chat schedules, their sequence and the states of `ids` (and of every chat schedule) from
     * the keys used before the `{schedules}` hash tag; idempotent, a no-op once moved.
     */
    async migrateLegacyKeys(ids: readonly string[]): Promise<number> {
      const legacy = keys.legacySchedules
      const chat = await redis.hgetall(legacy.chat)
      let moved = 0
      for (const [id, json] of Object.entries(chat)) moved += await redis.hsetnx(keys.chatSchedules(), id, json)
      const seq = Number(await redis.get(legacy.seq) ?? 0)
      if (seq > Number(await redis.get(keys.scheduleSeq()) ?? 0)) await redis.set(keys.scheduleSeq(), String(seq))
      for (const id of new Set([...ids, ...Object.keys(chat)])) {
        const old = await redis.hgetall(legacy.state(id))
        if (!Object.keys(old).length) continue
        if (!await redis.exists(keys.scheduleState(id))) await redis.hset(keys.scheduleState(id), old)
        await redis.del(legacy.state(id))
        moved++
      }
      if (Object.keys(chat).length) await redis.del(legacy.chat)
      if (seq) await redis.del(legacy.seq)
      return moved
    },

    /** Tell every scheduler (all instances) that schedule `id` changed (added, paused, resumed, deleted); without an id, to re-read all. */
    async announceChange(id?: string): Promise<void> {
      await redis.publish(keys.scheduleChanges(), id ? `id:${id}` : String(clock.now()))
    },
  }
  return store
}
