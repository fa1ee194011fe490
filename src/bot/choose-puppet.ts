import type { PuppetInterface } from 'wechaty-puppet/impls'
import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'

/** Which channel the bot runs on: the simulator, our WeCom puppet, or a Wechaty puppet by package name. */
export type PuppetChoice =
  | { kind: 'simulator' }
  | { kind: 'puppet'; name: string; puppet: PuppetInterface | string; options?: Record<string, unknown> }

/** Raised when the chosen puppet lacks what it needs; the message says what to set, in Chinese. */
export class PuppetConfigError extends Error {}

/** Pick the puppet from WECHATY_PUPPET or bot.puppet; none (or "mock") means the simulator. The WeCom SDK loads only when chosen. */
export async function choosePuppet(config: Config, log: Logger): Promise<PuppetChoice> {
  const name = config.secrets.puppet
  if (!name || name === 'mock' || name === 'wechaty-puppet-mock') return { kind: 'simulator' }
  if (name === 'wecom') {
    const { botId, secret, wsUrl } = config.secrets.wecom
    if (!botId || !secret) {
      throw new PuppetConfigError('使用企业微信智能机器人需要设置环境变量 WECOM_BOT_ID 和 WECOM_BOT_SECRET（在企业微信管理后台的智能机器人“API 配置”中获取，选择长连接方式）。')
    }
    const { PuppetWecom } = await import('../puppet-wecom/mod.ts')
    const puppet = new PuppetWecom({
      botId, secret, wsUrl, botName: config.bot.name, members: { ...config.members }, log: log.child({ puppet: 'wecom' }),
    })
    return { kind: 'puppet', name, puppet }
  }
  const options: Record<string, unknown> = {}
  if (config.secrets.puppetToken) options.token = config.secrets.puppetToken
  return { kind: 'puppet', name, puppet: name, options }
}
