import type { Logger } from '../log.ts'

/** The SDK's logger interface, fed into pino one level lower (the SDK is chatty at info). */
export function sdkLogger(log: Logger) {
  const line = (args: unknown[]) => (args.length ? { args: args.map(String) } : {})
  return {
    debug: (message: string, ...args: unknown[]) => log.trace(line(args), message),
    info: (message: string, ...args: unknown[]) => log.debug(line(args), message),
    warn: (message: string, ...args: unknown[]) => log.warn(line(args), message),
    error: (message: string, ...args: unknown[]) => log.warn(line(args), message),
  }
}
