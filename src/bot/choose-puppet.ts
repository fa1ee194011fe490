import type { Config } from '../config.ts'

/** Which channel the bot runs on: the simulator, or a Wechaty puppet by package name. */
export type PuppetChoice =
  | { kind: 'simulator' }
  | { kind: 'puppet'; name: string; puppet: string; options: Record<string, unknown> }

/** Pick the puppet from WECHATY_PUPPET or bot.puppet; none (or "mock") means the simulator. */
export function choosePuppet(config: Config): PuppetChoice {
  const name = config.secrets.puppet
  if (!name || name === 'mock' || name === 'wechaty-puppet-mock') return { kind: 'simulator' }
  const options: Record<string, unknown> = {}
  if (config.secrets.puppetToken) options.token = config.secrets.puppetToken
  return { kind: 'puppet', name, puppet: name, options }
}
