import path from 'node:path'
import { parseConfig } from '../../src/config.ts'
import { createManualClock, zonedToEpoch } from '../../src/clock.ts'
import type { Redis } from '../../src/store/redis.ts'
import type { Keys } from '../../src/store/keys.ts'
import { testDeps } from '../support/deps.ts'
import { tempDir } from '../support/temp-dir.ts'

export const GROUP = '第一党支部学习群'
export const GROUP2 = '第二党支部学习群'

/** Deps for reflection tests: two groups, a manual clock at 2026-11-30 09:00 +08:00, a temp data folder. */
export async function reflectionDeps(redis: Redis, keys: Keys, raw: Record<string, unknown> = {}) {
  const dataDir = tempDir('refl')
  const config = parseConfig({
    groups: [
      { topic: GROUP, secretaries: [{ id: 'wxid_zhangshuji', name: '张书记' }], organizers: [{ id: 'wxid_liweiyuan', name: '李委员' }], exclude: ['旁听'] },
      { topic: GROUP2, organizers: [{ id: 'wxid_liweiyuan', name: '李委员' }] },
    ],
    dataDir,
    ...raw,
  }, path.join(dataDir, 'studybot.yaml'), {})
  const clock = createManualClock(zonedToEpoch('2026-11-30', '09:00', 'Asia/Shanghai'))
  const { deps, logs } = await testDeps({ config, redis, keys, clock })
  return { deps, clock, dataDir, logs }
}
