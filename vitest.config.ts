import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // tests spawn bin/studybot.js, which runs dist/: build it from the current src first
    globalSetup: ['tests/support/build-dist.ts'],
    testTimeout: 30000,
    hookTimeout: 30000,
    pool: 'forks',
  },
})
