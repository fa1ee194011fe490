import pino, { type Logger } from 'pino'

export type { Logger }

/** pino logger: pretty on a terminal, JSON otherwise; `fd` 2 keeps stdout free for CLI output. */
export function createLogger(opts: { level?: string; fd?: 1 | 2; pretty?: boolean } = {}): Logger {
  const fd = opts.fd ?? 1
  const pretty = opts.pretty ?? Boolean((fd === 1 ? process.stdout : process.stderr).isTTY)
  const options = { level: opts.level ?? 'info', base: undefined }
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: fd, translateTime: 'SYS:HH:MM:ss' } } })
  }
  return pino(options, pino.destination({ fd, sync: true }))
}
