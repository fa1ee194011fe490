// One instance of the crash drill (bench/scale.ts): sends one slot of a '*' schedule through the
// scheduler's work list; a "send" appends the group to the platform log (what members would see).
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pino from 'pino'
import { parseConfig } from '../src/config.ts'
import { systemClock } from '../src/clock.ts'
import { createKeys } from '../src/store/keys.ts'
import { connectRedis } from '../src/store/redis.ts'
import { Scheduler } from '../src/jobs/scheduler.ts'
import { createDeps } from '../src/deps.ts'
import { allSchedules } from '../src/schedules/definitions.ts'
import type { Messenger } from '../src/bot/messenger.ts'

const [url, prefix, groupsN, slotS, platformLog, dataDir] = process.argv.slice(2)
const groups = Array.from({ length: Number(groupsN) }, (_, i) => ({ topic: `学习群${i + 1}` }))
const config = parseConfig({ groups, dataDir, schedules: [{ id: 'drill', group: '*', cron: '0 9 29 2 *', kind: 'text', text: '通知' }] }, path.join(dataDir, 'bench.yaml'), {})
const redis = await connectRedis(url)
const deps = await createDeps({ config, log: pino({ level: 'silent' }), clock: systemClock, redis, keys: createKeys(prefix) })
const fd = fs.openSync(platformLog, 'a')
const messenger: Messenger = {
  async toGroup(g) {
    fs.writeSync(fd, `${g}\n`)
    await sleep(5) // the platform's answer takes a moment: a kill may land between send and record
  },
  async toContact() {},
  async fileToContact() {},
  async groupMembers() { return [] },
}
const scheduler = new Scheduler(deps, messenger, { leaseMs: 1500, concurrency: 4, instance: `pid${process.pid}` })
await scheduler.start()
const [def] = await allSchedules(config, deps.stores.schedules)
const slot = Number(slotS)
await scheduler.onSlot(def, slot, false)
while ((await deps.stores.slotWork.remaining(def.id, slot)).count > 0) await sleep(100)
await scheduler.stop()
redis.disconnect()
process.exit(0)
