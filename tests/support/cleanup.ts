import { afterAll } from 'vitest'
import { removeTempDirs } from './temp-dir.ts'

// vitest setup file: runs in every test file, so each file removes its temp folders when it ends
afterAll(() => { removeTempDirs() })
