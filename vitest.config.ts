import { defineConfig } from 'vitest/config'
import { clusterUnsupported } from './tests/support/redis-cluster.ts'

// The reflection, schedule and export tests again, unchanged, on a local 3-master Redis Cluster
// that each file starts itself (tests/support/redis.ts reads STUDYBOT_TEST_REDIS).
const onCluster = [
  'tests/e2e/reflections.test.ts',
  'tests/e2e/schedules.test.ts',
  'tests/integration/reflection-export.test.ts',
  'tests/integration/reflection-archive.test.ts',
]
const unsupported = clusterUnsupported()
if (unsupported) console.warn(`skipping the cluster project (the reflection, schedule and export tests on a Redis Cluster): ${unsupported}`)

export default defineConfig({
  test: {
    // tests spawn bin/studybot.js, which runs dist/: build it from the current src first
    globalSetup: ['tests/support/build-dist.ts'],
    // every test file removes the temp folders it made (tests/support/temp-dir.ts)
    setupFiles: ['tests/support/cleanup.ts'],
    // generous: no test may fail because the machine is busy (a timeout under test is set by the test)
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'single', include: ['tests/**/*.test.ts'] } },
      ...(unsupported ? [] : [{ extends: true as const, test: { name: 'cluster', include: onCluster, env: { STUDYBOT_TEST_REDIS: 'cluster' } } }]),
    ],
  },
})
