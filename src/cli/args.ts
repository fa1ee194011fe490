import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './runtime.ts'

/** parseArgs with Chinese errors; every command accepts --config. */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { config: { type: 'string' }, ...options }, allowPositionals, strict: true })
  } catch (err) {
    throw new UsageError(argErrorText(err))
  }
}

/** node:util parseArgs errors, said in Chinese. */
export function argErrorText(err: unknown): string {
  const message = (err as Error).message
  const unknown = /Unknown option '([^']+)'/.exec(message)
  if (unknown) return `参数有误：没有 ${unknown[1]} 这个选项`
  const missing = /Option '([^' ]+)[^']*' argument missing/.exec(message)
  if (missing) return `参数有误：${missing[1]} 后面需要一个值`
  const extra = /Unexpected argument '([^']+)'/.exec(message)
  if (extra) return `参数有误：多余的参数“${extra[1]}”`
  return `参数有误：${message}`
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
