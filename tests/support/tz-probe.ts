// Prints, as JSON, what the scheduler computes for a few schedules; run with different TZ values.
import { createTask } from 'node-cron'
import { parseTimePhrase } from '../../src/schedules/time-phrases.ts'
import { nextFireTimes } from '../../src/schedules/next-fire.ts'
import { formatInZone, isoInZone } from '../../src/clock.ts'

const tz = 'Asia/Shanghai'
const from = Date.UTC(2026, 10, 29, 23, 30) // 2026-11-30 07:30 in Beijing, a Monday
const task = createTask('0 9 * * 1', () => {}, { timezone: tz })
const out = {
  processOffset: new Date(from).getTimezoneOffset(),
  weekly: nextFireTimes(parseTimePhrase('每周一 09:00 x')!.cron, tz, from, 3).map((t) => isoInZone(t, tz)),
  daily: nextFireTimes('30 7 * * *', tz, from, 2).map((t) => formatInZone(t, tz)),
  nodeCronMatches: task.match(new Date(Date.UTC(2026, 10, 30, 1, 0))),
}
task.destroy()
process.stdout.write(JSON.stringify(out))
