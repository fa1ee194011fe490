import { randomBytes } from 'node:crypto'
import { createTask, type ScheduledTask, type Logger as CronLogger } from 'node-cron'
import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import { duplicateClient, type Redis } from '../store/redis.ts'
import type { ScheduleDef, ScheduleStore } from '../store/schedule-store.ts'
import { allSchedules, isPaused, scheduleById, targetGroups } from '../schedules/definitions.ts'
import { attemptFiring, type FireEnv } from '../schedules/firing.ts'
import { nextFireTime } from '../schedules/next-fire.ts'
import { createKeyedQueue } from '../util/keyed-queue.ts'
import { setTimeout as sleep } from 'node:timers/promises'
import { summarizeSlot } from '../schedules/slot-summary.ts'
import { chineseReason } from '../schedules/overview.ts'
import { tellSecretaries } from '../bot/tell-secretaries.ts'
import { groupName, type GroupConfig } from '../config.ts'
import { formatInZone } from '../clock.ts'
import type { Firing } from '../store/schedule-store.ts'
import { chooseGroupChannel, type GroupChannel } from '../channels/choose-channel.ts'
import { createGroupCommit } from '../util/group-commit.ts'
import { fanOut } from './fan-out.ts'
import type { Taken } from '../store/slot-work.ts'

/** How long this instance leaves a group it could not reach to the others before trying it again. */
const retryReachMs = 30_000
/** At most this long between looks at a broadcast whose remaining groups other instances hold. */
const relookMs = 5_000
/** Why a group no instance could reach was not sent, as its secretaries and the slot's results read it. */
const unreachedReason = '找不到这个群（机器人可能已不在群里，或群名已改），在补发时限内一直联系不上'

/** The newest slot in (from, to], if any. */
function latestSlotSince(cron: string, tz: string, from: number, to: number): number | undefined {
  let last: number | undefined
  let t = from
  for (let i = 0; i < 10_000; i++) {
    const next = nextFireTime(cron, tz, t)
    if (next === undefined || next > to) break
    last = next
    t = next
  }
  return last
}

/** Knobs of the scheduler; every one has a default. */
export interface SchedulerOptions {
  /** Tries per send, the first included (default 3). */
  sendAttempts?: number
  /** Backoff before the second try, doubling after (default 2 s). */
  retryBaseMs?: number
  /** How long a slot claim lives; must outlast the grace window (default 3 days). */
  claimTtlMs?: number
  /** Safety-net full re-read of every schedule, for change notices lost while disconnected (default 5 min). */
  resyncMs?: number
  /** Names this process in slot claims (default random). */
  instance?: string
  /** How long an instance holds a group of a broadcast before another may take it (default 2 min). */
  leaseMs?: number
  /**
   * Groups of one broadcast sent through the bot account at the same time by one instance
   * (default 32; pacing is the sending layer's: at 1 message/s a group waits at most ~64 s in the
   * outbox, well inside its lease).
   */
  concurrency?: number
  /**
   * Groups of one broadcast sent through their group robots (webhooks) at the same time by one
   * instance (default 100): each robot has its own queue and rate limit (20 a minute), so they
   * do not wait for each other.
   */
  webhookConcurrency?: number
  /** Wait between tries while Redis is unreachable when a slot fires (default 2 s). */
  redisRetryMs?: number
}

/** At most this many older slots are recorded as missed after an outage (per schedule and group). */
const missedKept = 10
/** How far back an outage is walked slot by slot to record missed slots. */
const missedLookbackMs = 6 * 3600_000

/**
 * Runs every schedule (config and chat) with node-cron in the configured time zone. Each slot is
 * claimed per configured group in Redis, so it fires exactly once across restarts and instances.
 */
export class Scheduler {
  private readonly store: ScheduleStore
  private readonly env: FireEnv
  private readonly instance: string
  private readonly claimTtlMs: number
  private readonly resyncMs: number
  private readonly tasks = new Map<string, { task: ScheduledTask; cron: string }>()
  private readonly inFlight = new Set<Promise<unknown>>()
  private subscriber?: Redis
  private resyncTimer?: NodeJS.Timeout
  private running = false
  private readonly syncs = createKeyedQueue()
  private readonly leaseMs: number
  private readonly concurrency: number
  private readonly webhookConcurrency: number
  private readonly redisRetryMs: number
  /** Groups of a slot this instance found it cannot reach, with when: not taken again for a while. */
  private readonly notHere = new Map<string, Map<string, number>>()
  /** The start-up room lookups (lookUpRooms). */
  private lookups: Promise<void> = Promise.resolve()
  /** Re-drains of broadcasts waiting for a lapsed lease, by schedule and slot. */
  private readonly redrains = new Map<string, NodeJS.Timeout>()

  constructor(private readonly deps: Deps, messenger: Messenger, opts: SchedulerOptions = {}) {
    this.store = deps.stores.schedules
    this.instance = opts.instance ?? `${process.pid}-${randomBytes(3).toString('hex')}`
    this.env = {
      deps, messenger,
      sendAttempts: opts.sendAttempts ?? 3, retryBaseMs: opts.retryBaseMs ?? 2000, instance: this.instance,
    }
    this.claimTtlMs = Math.max(opts.claimTtlMs ?? 3 * 86400_000, deps.config.graceMinutes * 60_000 * 2)
    this.resyncMs = opts.resyncMs ?? 5 * 60_000
    this.leaseMs = opts.leaseMs ?? 120_000
    this.concurrency = opts.concurrency ?? 32
    this.webhookConcurrency = opts.webhookConcurrency ?? 100
    this.redisRetryMs = opts.redisRetryMs ?? 2000
  }

  /** Start a cron task per schedule, catch up slots missed while down, and follow chat changes. */
  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    const { log } = this.deps
    const sub = duplicateClient(this.deps.redis)
    this.subscriber = sub
    // it reconnects by itself and the periodic resync covers lost notices: say so once per outage
    let down = false
    sub.on('error', (err) => {
      if (!down && this.running) log.warn({ err }, 'schedule change notices interrupted, re-reading schedules every resync period')
      down = true
    })
    sub.on('ready', () => { down = false })
    // a notice names the schedule that changed: only it is read again
    sub.on('message', (_channel: string, message: string) => {
      const id = message.startsWith('id:') ? message.slice(3) : undefined
      ;(id ? this.resyncOne(id) : this.resync()).catch((err) => log.error({ err, scheduleId: id }, 'schedule resync failed'))
    })
    try {
      await sub.connect()
      await sub.subscribe(this.deps.keys.scheduleChanges())
    } catch (err) {
      log.warn({ err }, 'schedule change notices unavailable, re-reading schedules every resync period')
    }
    // stopped meanwhile (a logout during start): leave nothing running behind
    if (!this.running) return
    this.resyncTimer = setInterval(() => {
      this.resync().catch((err) => log.error({ err }, 'schedule resync failed'))
    }, this.resyncMs)
    this.resyncTimer.unref()
    await this.resync()
    const defs = await allSchedules(this.deps.config, this.store)
    if (!this.running) return
    await Promise.all(defs.map((def) => this.track(this.catchUp(def))))
    this.lookups = this.lookUpRooms(defs)
    this.track(this.lookups)
    log.info({ schedules: this.tasks.size, instance: this.instance }, 'scheduler started')
  }

  /** Resolves once the rooms of the scheduled groups have been looked up after start (lookUpRooms). */
  roomsLookedUp(): Promise<void> {
    return this.lookups
  }

  /**
   * Look up, a few at a time and in the background, the room of every group a schedule targets,
   * so that the first broadcast after login does not pay for thousands of room lookups (loading
   * a room on the platform costs more than a Redis round trip); the rooms this account cannot
   * find are logged once, with how many.
   */
  private async lookUpRooms(defs: readonly ScheduleDef[]): Promise<void> {
    const { messenger } = this.env
    if (!messenger.reaches) return
    const groups = [...new Set(defs.flatMap((def) => targetGroups(this.deps.config, def).map((g) => g.key)))]
    const missing: string[] = []
    let i = 0
    await Promise.all(Array.from({ length: Math.min(4, groups.length) }, async () => {
      while (this.running && i < groups.length) {
        const group = groups[i++]
        if (!await messenger.reaches!(group).catch(() => false)) missing.push(group)
      }
    }))
    if (missing.length) this.deps.log.info({ count: missing.length, groups: missing.slice(0, 20) }, 'scheduled groups whose room this account cannot find (hosted by another account, or the bot is not in them)')
  }

  /** Destroy every cron task and wait for firings in flight, so the process can exit. */
  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    clearInterval(this.resyncTimer)
    for (const t of this.redrains.values()) clearTimeout(t)
    this.redrains.clear()
    for (const { task } of this.tasks.values()) await task.destroy()
    this.tasks.clear()
    await this.syncs.idle()
    const sub = this.subscriber
    this.subscriber = undefined
    sub?.disconnect()
    await Promise.allSettled([...this.inFlight])
    this.deps.log.info({ instance: this.instance }, 'scheduler stopped')
  }

  /** Re-read the schedules: start tasks for new or resumed ones, destroy those deleted or paused. */
  resync(): Promise<void> {
    return this.syncs.run('sync', () => this.sync())
  }

  /** Re-read one schedule (a change notice named it): start, restart or destroy its task. */
  resyncOne(id: string): Promise<void> {
    return this.syncs.run('sync', async () => {
      if (!this.running) return
      const def = await scheduleById(this.deps.config, this.store, id)
      const wanted = def && !isPaused(def, await this.store.state(id)) ? def : undefined
      const t = this.tasks.get(id)
      if (t && wanted?.cron !== t.cron) {
        await t.task.destroy()
        this.tasks.delete(id)
      }
      if (wanted && this.running && !this.tasks.has(id)) this.tasks.set(id, { task: this.createTask(wanted), cron: wanted.cron })
    })
  }

  /** Ids of the schedules that have a running cron task. */
  activeIds(): string[] {
    return [...this.tasks.keys()]
  }

  private async sync(): Promise<void> {
    if (!this.running) return
    const defs = await allSchedules(this.deps.config, this.store)
    const states = await this.store.states(defs.map((d) => d.id))
    const wanted = new Map<string, ScheduleDef>()
    defs.forEach((def, i) => { if (!isPaused(def, states[i])) wanted.set(def.id, def) })
    for (const [id, t] of this.tasks) {
      if (wanted.get(id)?.cron !== t.cron) {
        await t.task.destroy()
        this.tasks.delete(id)
      }
    }
    for (const def of wanted.values()) {
      if (!this.running || this.tasks.has(def.id)) continue
      this.tasks.set(def.id, { task: this.createTask(def), cron: def.cron })
    }
  }

  private createTask(def: ScheduleDef): ScheduledTask {
    const log = this.deps.log.child({ scheduleId: def.id, component: 'node-cron' })
    const logger: CronLogger = {
      info: (m) => log.debug(m),
      warn: (m) => log.warn(m),
      error: (m, err) => log.error({ err: err ?? m }, 'node-cron error'),
      debug: (m) => log.debug({ m }, 'node-cron debug'),
    }
    const graceMs = this.deps.config.graceMinutes * 60_000
    const task = createTask(def.cron, (ctx) => {
      this.track(this.onSlot(def, ctx.date.getTime(), false))
    }, {
      name: `schedule:${def.id}`,
      timezone: this.deps.config.timezone,
      logger,
      // a tick delayed by a busy event loop still runs, up to the grace window
      missedExecutionTolerance: Math.max(1000, graceMs),
    })
    // slots node-cron skipped (the process was blocked, or the clock jumped past the next slot)
    task.on('execution:missed', (ctx) => { this.track(this.onMissedExecution(def, ctx.date.getTime())) })
    task.start()
    return task
  }

  /** Keep a firing's promise until it settles, so stop() can wait for it; errors end here. */
  private track(p: Promise<unknown>): void {
    const tracked = p.catch((err) => this.deps.log.error({ err }, 'scheduler job failed'))
    this.inFlight.add(tracked)
    void tracked.finally(() => this.inFlight.delete(tracked))
  }

  /**
   * A slot node-cron skipped: only the newest skipped slot fires (late, within the grace window),
   * as start-up catch-up does; an older one (a forward clock jump over several slots) is recorded
   * missed, never sent.
   */
  async onMissedExecution(def: ScheduleDef, slot: number): Promise<void> {
    const now = this.deps.clock.now()
    const next = nextFireTime(def.cron, this.deps.config.timezone, slot)
    const superseded = next !== undefined && next <= now
    const late = !superseded && now - slot <= this.deps.config.graceMinutes * 60_000
    await this.onSlot(def, slot, !late, true)
  }

  /**
   * One slot of one schedule: write its work list (once, whichever instance is first) and send
   * to the groups this instance takes (or, when `missed`, record them missed). While Redis is
   * unreachable the slot is tried again until it is back; past the grace window by then, it is
   * recorded missed.
   */
  async onSlot(def: ScheduleDef, slot: number, missed: boolean, late = false): Promise<void> {
    const graceEnd = slot + this.deps.config.graceMinutes * 60_000
    for (let attempt = 1; ; attempt++) {
      try {
        if (def.source === 'chat' && !await this.store.getChat(def.id)) return // deleted on another instance
        const state = await this.store.state(def.id)
        await this.store.advanceLastSlot(def.id, slot)
        if (isPaused(def, state)) return
        // a tick is on time; a slot that waited for Redis is sent only within the grace window
        const tooLate = attempt > 1 && this.deps.clock.now() > graceEnd
        await this.runSlot(def, slot, { missed: missed || tooLate, late: late || attempt > 1 })
        return
      } catch (err) {
        if (!this.running) {
          // a direct call outside a running scheduler (tests, the CLI): report, do not retry
          this.deps.log.error({ err, scheduleId: def.id, slot }, 'schedule slot failed')
          return
        }
        this.deps.log.warn({ err, scheduleId: def.id, slot, attempt }, 'schedule slot could not reach redis, retrying')
        await sleep(this.redisRetryMs)
      }
    }
  }

  private async runSlot(def: ScheduleDef, slot: number, o: { missed: boolean; late: boolean }): Promise<void> {
    const { slotWork } = this.deps.stores
    const groups = targetGroups(this.deps.config, def)
    // written once; a look again (redrain) does not send every group's key each time
    if (!await slotWork.exists(def.id, slot)) await slotWork.create(def.id, slot, groups.map((g) => g.key), this.claimTtlMs, this.deps.clock.now())
    if (o.missed) {
      const now = this.deps.clock.now()
      const closed = await slotWork.close(def.id, slot, now, { outcome: 'missed', at: now })
      const firings: Firing[] = closed.map((c) => ({ scheduleId: def.id, group: c.group, slot, outcome: c.outcome as Firing['outcome'], at: now, ...(c.error ? { error: c.error } : {}) }))
      await this.store.recordFirings(firings)
      for (const f of firings) {
        this.deps.log.warn({ scheduleId: def.id, group: f.group, slot, outcome: f.outcome }, f.outcome === 'failed' ? 'broadcast group unreachable until the grace window ended' : 'slot missed')
        const g = f.outcome === 'failed' ? groups.find((x) => x.key === f.group) : undefined
        if (g) await this.tellFailure(def, g, f)
      }
      await this.summarize(def, slot)
      return
    }
    await this.drain(def, slot, o.late)
  }

  /**
   * Take groups of the slot's work list and send them as they are taken (fanOut: `concurrency`
   * through the bot account, `webhookConcurrency` through group robots) until none is free; then
   * wait for leases held by others (an instance that died hands its groups back when its lease
   * lapses) until the grace window ends, when what is left is recorded missed. Each group is
   * begun right before its send and finished after it, as before, but the begins (and the
   * outcomes with their firing records) of groups in flight together share one round trip.
   */
  private async drain(def: ScheduleDef, slot: number, late: boolean): Promise<void> {
    const { slotWork } = this.deps.stores
    const { clock, config, log } = this.deps
    const token = `${this.instance}:${randomBytes(3).toString('hex')}`
    const byKey = new Map(targetGroups(config, def).map((g) => [g.key, g]))
    const graceEnd = slot + config.graceMinutes * 60_000
    const slotKey = `${def.id}:${slot}`
    const notHere = this.notHere.get(slotKey) ?? new Map<string, number>()
    this.notHere.set(slotKey, notHere)
    const begin = createGroupCommit((groups: string[]) => slotWork.begin(def.id, slot, groups, token, clock.now() + this.leaseMs))
    // an 'unconfirmed' taken back is already recorded in the work list: only its firing record is written
    const finish = createGroupCommit(async (items: Array<{ f: Firing; finish: boolean }>) => {
      const outcomes = items.filter((i) => i.finish).map(({ f }) => ({ group: f.group, outcome: { outcome: f.outcome, at: f.at, ...(f.error ? { error: f.error } : {}) } }))
      await Promise.all([
        slotWork.finish(def.id, slot, token, outcomes),
        this.store.recordFirings(items.map((i) => i.f)).catch((err: unknown) => log.error({ err, scheduleId: def.id, slot }, 'firing record failed')),
      ])
      return items.map(() => undefined)
    })
    const handle = async ({ group, kind }: Taken, sent: () => void): Promise<void> => {
      const g = byKey.get(group)
      if (kind === 'unconfirmed' || !g) {
        const error = g ? '发送途中实例中断，无法确认是否送达，不再重发' : '该群已不在配置中'
        await finish({ f: { scheduleId: def.id, group, slot, outcome: g ? 'unconfirmed' : 'failed', at: clock.now(), error }, finish: !g })
        log.warn({ scheduleId: def.id, group, slot }, g ? 'broadcast lease lapsed mid-send, recorded unconfirmed' : 'broadcast group no longer configured')
        return
      }
      // hosted by another instance (another account), or no room at all: hand it over, look
      // again a little later; if no instance ever reaches it, the grace window's end records why
      if (this.env.messenger.reaches && !await this.env.messenger.reaches(group)) {
        notHere.set(group, clock.now())
        await slotWork.release(def.id, slot, group, token, clock.now(), unreachedReason)
        return
      }
      if (!await begin(group)) return
      const f = await attemptFiring(this.env, def, g, slot, late ? { late: true } : {})
      sent()
      await finish({ f, finish: true })
      if (f.outcome === 'failed') await this.tellFailure(def, g, f)
    }
    const laneOf = (group: string): GroupChannel => chooseGroupChannel({ hasWebhook: config.secrets.webhooks[group] !== undefined, broadcast: true })
    // only the lanes this broadcast uses, so a bot-only one takes no more than its bot lane starts
    // soon (one place for the bot lane anyway: a group gone from the config is recorded there)
    const limits = { bot: 1, webhook: 0 }
    for (const g of byKey.keys()) {
      const lane = laneOf(g)
      limits[lane] = lane === 'bot' ? this.concurrency : this.webhookConcurrency
    }
    // a group this instance holds (queued or sending) whose lease lapsed is not taken twice by it
    const held = new Set<string>()
    await fanOut({
      limits,
      batch: Math.max(limits.bot, limits.webhook, 1),
      laneOf: ({ group }) => laneOf(group),
      take: async (max) => {
        const now = clock.now()
        for (const [g, at] of notHere) if (now - at > retryReachMs) notHere.delete(g)
        const taken = await slotWork.take(def.id, slot, { now, leaseUntil: now + this.leaseMs, token, max, ttlMs: this.claimTtlMs, skip: [...notHere.keys()] })
        const fresh = taken.filter((t) => !held.has(t.group))
        for (const t of fresh) held.add(t.group)
        return fresh
      },
      handle: async ({ group, kind }, sent) => {
        try {
          await handle({ group, kind }, sent)
        } finally {
          held.delete(group)
        }
      },
    })
    const left = await slotWork.remaining(def.id, slot)
    if (!left.count) {
      this.notHere.delete(slotKey)
      await this.summarize(def, slot)
      return
    }
    if (clock.now() > graceEnd) {
      await this.runSlot(def, slot, { missed: true, late })
      return
    }
    // held by another instance, or hosted elsewhere: look again in a second if a group was handed
    // back meanwhile, else every few seconds (a holder may hand back groups it cannot reach, a
    // lease may lapse; an unreachable group is tried again after retryReachMs), until the grace
    // window ends
    const now = clock.now()
    const handedBack = (!left.nextFree || left.nextFree <= now) && await slotWork.freeBesides(def.id, slot, now, new Set(notHere.keys()))
    const at = Math.min(now + (handedBack ? 1000 : relookMs), graceEnd + 1000)
    this.redrainAt(def, slot, late, at - now)
  }

  private redrainAt(def: ScheduleDef, slot: number, late: boolean, delayMs: number): void {
    if (!this.running) return
    const key = `${def.id}:${slot}`
    clearTimeout(this.redrains.get(key))
    const t = setTimeout(() => {
      this.redrains.delete(key)
      this.track(this.onSlot(def, slot, false, late))
    }, delayMs)
    t.unref()
    this.redrains.set(key, t)
  }

  /**
   * Tell a group's secretaries privately that a scheduled send failed, with the reason; a refusal
   * the broadcast channel already explained (webhook removed, bot not activated) is not told twice.
   */
  private async tellFailure(def: ScheduleDef, group: GroupConfig, f: Firing): Promise<void> {
    if (f.failure === 'refused' || f.failure === 'not-activated') return
    const when = formatInZone(f.slot, this.deps.config.timezone).slice(5)
    const text = `【学习助手】“${groupName(group)}”的定时通知（定时任务 ${def.id}，${when}）没有发出去：${chineseReason(f.error)}。`
    await tellSecretaries(this.env.messenger, this.deps.config, group, text, this.deps.log)
  }

  /** Once every group of a slot is recorded: the slot's counts become the schedule's last broadcast. */
  private async summarize(def: ScheduleDef, slot: number): Promise<void> {
    const { total, done } = await this.deps.stores.slotWork.results(def.id, slot)
    if (!total) return
    const summary = summarizeSlot(slot, total, done)
    await this.store.recordSlotSummary(def.id, summary)
    const { problems, ...counts } = summary
    this.deps.log.info({ scheduleId: def.id, ...counts, failedGroups: problems.map((p) => p.group) }, 'broadcast finished')
  }

  /**
   * On start: a slot missed while no instance ran fires once, late, if it is within the grace
   * window; older slots are recorded as missed, never sent. A schedule never seen before starts now.
   */
  private async catchUp(def: ScheduleDef): Promise<void> {
    const state = await this.store.state(def.id)
    const now = this.deps.clock.now()
    if (isPaused(def, state)) return
    if (state.lastSlot === undefined) {
      await this.store.advanceLastSlot(def.id, now)
      return
    }
    const tz = this.deps.config.timezone
    const graceStart = now - this.deps.config.graceMinutes * 60_000
    const missed: number[] = []
    let fire: number | undefined
    let t = Math.max(state.lastSlot, now - missedLookbackMs)
    for (let i = 0; i < 50_000; i++) {
      const next = nextFireTime(def.cron, tz, t)
      if (next === undefined || next > now) break
      if (next > graceStart) {
        if (fire !== undefined) missed.push(fire)
        fire = next
      } else missed.push(next)
      t = next
    }
    // a broadcast an instance began before it died (lastSlot already past it) resumes too; a slot
    // from before the schedule was first seen (another instance saw it a moment ago) does not
    if (fire === undefined) {
      const recent = latestSlotSince(def.cron, tz, graceStart, now)
      if (recent !== undefined && (recent === state.lastSlot || await this.deps.stores.slotWork.exists(def.id, recent))) fire = recent
    }
    for (const slot of missed.slice(-missedKept)) await this.runSlot(def, slot, { missed: true, late: false })
    if (fire !== undefined) await this.runSlot(def, fire, { missed: false, late: true })
    await this.store.advanceLastSlot(def.id, now)
  }
}
