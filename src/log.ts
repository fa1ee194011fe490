import pino, { type DestinationStream, type Logger } from 'pino'
import { redactSecrets } from './util/redact.ts'

export type { Logger }

/**
 * pino logger: pretty on a terminal, JSON otherwise; `fd` 2 keeps stdout free for CLI output;
 * `stream` receives the JSON lines instead (tests). Every line, error stacks included, has the
 * value of each `key=` (a webhook's secret) replaced before it is written.
 */
export function createLogger(opts: { level?: string; fd?: 1 | 2; pretty?: boolean; stream?: DestinationStream } = {}): Logger {
  const fd = opts.fd ?? 1
  const options = { level: opts.level ?? 'info', base: undefined, hooks: { streamWrite: redactSecrets } }
  if (opts.stream) return pino(options, opts.stream)
  const pretty = opts.pretty ?? Boolean((fd === 1 ? process.stdout : process.stderr).isTTY)
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: fd, translateTime: 'SYS:HH:MM:ss' } } })
  }
  return pino(options, pino.destination({ fd, sync: true }))
}
