import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import type { Config } from '../config.ts'
import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import { loadAssets } from './assets.ts'
import { createConsoleApp } from './app.ts'

/** The running console: where it listens, and how to stop it. */
export interface ConsoleServer {
  /** The address people open (console.publicUrl, else http://host:port), without a trailing slash. */
  url: string
  stop(): Promise<void>
}

/** The console's public address: console.publicUrl, else http://host:port (port as bound). */
export function consoleUrl(config: Config, port = config.console.port): string {
  const { publicUrl, host } = config.console
  if (publicUrl) return publicUrl.replace(/\/+$/, '')
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  return `http://${shown}:${port}`
}

/** The login address a one-time token opens. */
export function loginLink(baseUrl: string, token: string): string {
  return `${baseUrl}/login?t=${token}`
}

/** Serve the console on console.host:console.port; rejects if the port cannot be bound. */
export async function startConsole(o: { deps: Deps; messenger: Messenger }): Promise<ConsoleServer> {
  const { config, log } = o.deps
  const publicUrl = config.console.publicUrl ? new URL(config.console.publicUrl) : undefined
  const app = createConsoleApp({
    deps: o.deps,
    messenger: o.messenger,
    assets: loadAssets(),
    base: publicUrl ? publicUrl.pathname.replace(/\/+$/, '') : '',
    secureCookie: publicUrl?.protocol === 'https:',
  })
  const server: ServerType = await new Promise((resolve, reject) => {
    // the bot's own fetch (LLM, webhooks) keeps Node's Request and Response
    const s = serve({ fetch: app.fetch, port: config.console.port, hostname: config.console.host, overrideGlobalObjects: false }, () => resolve(s))
    s.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  const url = consoleUrl(config, port)
  log.info({ url, host: config.console.host, port }, 'console listening')
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      // keep-alive connections of open browsers would hold close() for minutes
      if ('closeAllConnections' in server) server.closeAllConnections()
    }),
  }
}
