import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './runtime.ts'

/** parseArgs with Chinese errors; every command accepts --config. */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { config: { type: 'string' }, ...options }, allowPositionals, strict: true })
  } catch (err) {
    throw new UsageError(`参数有误：${(err as Error).message.replace(/^Unknown option '(.*)'.*$/s, '未知选项 $1')}`)
  }
}

/** Run a command body, turning UsageError into a message on stderr and exit code 1. */
export async function runCommand(body: () => Promise<number>): Promise<number> {
  try {
    return await body()
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`)
      return 1
    }
    throw err
  }
}
