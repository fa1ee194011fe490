import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // tests spawn bin/studybot.js, which runs dist/: build it from the current src first
    globalSetup: ['tests/support/build-dist.ts'],
    // every test file removes the temp folders it made (tests/support/temp-dir.ts)
    setupFiles: ['tests/support/cleanup.ts'],
    // generous: no test may fail because the machine is busy (a timeout under test is set by the test)
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
