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

/** Offset of a time zone from UTC at an instant, in minutes (Asia/Shanghai gives 480). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000)
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

/** Epoch ms for a wall-clock date/time in the zone (YYYY-MM-DD, optional HH:MM). */
export function zonedToEpoch(date: string, time: string, timeZone: string): number {
  const guess = Date.parse(`${date}T${time}:00Z`)
  return guess - zoneOffsetMinutes(guess, timeZone) * 60000
}
