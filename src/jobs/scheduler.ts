import { randomBytes } from 'node:crypto'
import { createTask, type ScheduledTask, type Logger as CronLogger } from 'node-cron'
import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import { duplicateClient, type Redis } from '../store/redis.ts'
import type { ScheduleDef, ScheduleStore } from '../store/schedule-store.ts'
import { allSchedules, isPaused, targetGroups } from '../schedules/definitions.ts'
import { runFiring, type FireEnv } from '../schedules/firing.ts'
import { nextFireTime } from '../schedules/next-fire.ts'
import { createKeyedQueue } from '../util/keyed-queue.ts'

/** Knobs of the scheduler; every one has a default. */
export interface SchedulerOptions {
  /** Tries per send, the first included (default 3). */
  sendAttempts?: number
  /** Backoff before the second try, doubling after (default 2 s). */
  retryBaseMs?: number
  /** How long a slot claim lives; must outlast the grace window (default 3 days). */
  claimTtlMs?: number
  /** Fallback re-read of chat schedules when a change notice was lost (default 30 s). */
  resyncMs?: number
  /** Names this process in slot claims (default random). */
  instance?: string
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

  constructor(private readonly deps: Deps, messenger: Messenger, opts: SchedulerOptions = {}) {
    this.store = deps.stores.schedules
    this.env = {
      deps, messenger,
      sendAttempts: opts.sendAttempts ?? 3, retryBaseMs: opts.retryBaseMs ?? 2000,
    }
    this.instance = opts.instance ?? `${process.pid}-${randomBytes(3).toString('hex')}`
    this.claimTtlMs = Math.max(opts.claimTtlMs ?? 3 * 86400_000, deps.config.graceMinutes * 60_000 * 2)
    this.resyncMs = opts.resyncMs ?? 30_000
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
    sub.on('message', () => { this.resync().catch((err) => log.error({ err }, 'schedule resync failed')) })
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
    log.info({ schedules: this.tasks.size, instance: this.instance }, 'scheduler started')
  }

  /** Destroy every cron task and wait for firings in flight, so the process can exit. */
  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    clearInterval(this.resyncTimer)
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
    // slots node-cron skipped (the process was blocked past the next slot): late within grace, else missed
    task.on('execution:missed', (ctx) => {
      const slot = ctx.date.getTime()
      const late = this.deps.clock.now() - slot <= graceMs
      this.track(this.onSlot(def, slot, !late, true))
    })
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
   * One slot of one schedule: for each target group, claim it in Redis and fire (or, when
   * `missed`, record it as missed). Exactly one instance wins each claim.
   */
  async onSlot(def: ScheduleDef, slot: number, missed: boolean, late = false): Promise<void> {
    if (def.source === 'chat' && !await this.store.getChat(def.id)) return // deleted on another instance
    const state = await this.store.state(def.id)
    await this.store.advanceLastSlot(def.id, slot)
    if (isPaused(def, state)) return
    await this.claimAndFire(def, slot, { missed, late })
  }

  private async claimAndFire(def: ScheduleDef, slot: number, o: { missed: boolean; late: boolean }): Promise<void> {
    for (const group of targetGroups(this.deps.config, def)) {
      try {
        if (!await this.store.claimSlot(group.key, def.id, slot, this.instance, this.claimTtlMs)) continue
        if (o.missed) {
          await this.store.recordFiring({ scheduleId: def.id, group: group.key, slot, outcome: 'missed', at: this.deps.clock.now() })
          this.deps.log.warn({ scheduleId: def.id, group: group.key, slot }, 'slot missed')
        } else {
          await runFiring(this.env, def, group, slot, o.late ? { late: true } : {})
        }
      } catch (err) {
        this.deps.log.error({ err, scheduleId: def.id, group: group.key, slot }, 'schedule slot failed')
      }
    }
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
    for (const slot of missed.slice(-missedKept)) await this.claimAndFire(def, slot, { missed: true, late: false })
    if (fire !== undefined) await this.claimAndFire(def, fire, { missed: false, late: true })
    await this.store.advanceLastSlot(def.id, now)
  }
}
