/** Source of the current time; code asks this, never Date.now(), so tests can move time. */
export interface Clock {
  now(): number
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() }

/** A clock tests set and advance by hand. */
export function createManualClock(start: number): Clock & { set(ms: number): void; advance(ms: number): void } {
  let t = start
  return {
    now: () => t,
    set: (ms) => { t = ms },
    advance: (ms) => { t += ms },
  }
}

// The one implementation of time-zone arithmetic: everything below (and schedules' next-fire
// calculation) goes through wallClockIn and wallClockToEpoch.

/** A wall-clock time in some zone; month and day are 1-based. */
export interface WallClock { year: number; month: number; day: number; hour: number; minute: number; second: number }

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The wall-clock time at an instant in a zone, whatever the process TZ is. */
export function wallClockIn(ms: number, timeZone: string): WallClock {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  const p: Record<string, number> = {}
  for (const { type, value } of f.formatToParts(new Date(ms))) if (type !== 'literal') p[type] = Number(value)
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second }
}

const asUtc = (p: WallClock) => Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)

/** Offset of a time zone from UTC at an instant, in ms (Asia/Shanghai gives 8 h). */
function offsetMs(ms: number, timeZone: string): number {
  return asUtc(wallClockIn(ms, timeZone)) - Math.floor(ms / 1000) * 1000
}

/**
 * Epoch ms of a wall-clock time in a zone: the earliest instant that reads as it (a repeated DST
 * hour counts once); undefined when the time does not exist there (skipped by a DST change).
 */
export function wallClockToEpoch(p: WallClock, timeZone: string): number | undefined {
  const guess = asUtc(p)
  const candidates = new Set([guess - offsetMs(guess, timeZone)])
  for (const c of [...candidates]) candidates.add(guess - offsetMs(c, timeZone))
  // the offsets just before and after the guess cover both sides of a nearby transition
  for (const shift of [-86400_000, 86400_000]) candidates.add(guess - offsetMs(guess + shift, timeZone))
  const valid = [...candidates].filter((c) => asUtc(wallClockIn(c, timeZone)) === guess)
  return valid.length ? Math.min(...valid) : undefined
}

/** Offset of a time zone from UTC at an instant, in minutes (Asia/Shanghai gives 480). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  return Math.round(offsetMs(ms, timeZone) / 60000)
}

/** ISO 8601 in the given zone with its offset, e.g. 2026-11-29T09:00:00+08:00. */
export function isoInZone(ms: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(ms, timeZone)
  const local = new Date(ms + offset * 60000).toISOString().slice(0, 19)
  const sign = offset >= 0 ? '+' : '-'
  const abs = Math.abs(offset)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** Calendar date YYYY-MM-DD in the given zone. */
export function dateInZone(ms: number, timeZone: string): string {
  return isoInZone(ms, timeZone).slice(0, 10)
}

/** Human form for chat, e.g. 2026-11-30 09:00 (in the given zone). */
export function formatInZone(ms: number, timeZone: string): string {
  return isoInZone(ms, timeZone).slice(0, 16).replace('T', ' ')
}

/**
 * Epoch ms for a wall-clock date/time in the zone (YYYY-MM-DD, HH:MM). A time skipped by a DST
 * change is read with the offset before the change (02:30 on a spring-forward night is 03:30).
 */
export function zonedToEpoch(date: string, time: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number)
  const [hour, minute] = time.split(':').map(Number)
  const p = { year, month, day, hour, minute, second: 0 }
  return wallClockToEpoch(p, timeZone) ?? asUtc(p) - offsetMs(asUtc(p) - 86400_000, timeZone)
}

/** How a zone is named to members: 北京时间 for China's zones, else the zone's own name. */
export function zoneLabel(timeZone: string): string {
  return timeZone === 'Asia/Shanghai' || timeZone === 'Asia/Chongqing' ? '北京时间' : timeZone
}
