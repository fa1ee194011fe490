import type { PuppetInterface } from 'wechaty-puppet/impls'
import type { AccountConfig, Config } from '../config.ts'
import type { Logger } from '../log.ts'
import type { PuppetWecom } from '../puppet-wecom/mod.ts'
import type { PlatformExtras } from './platform.ts'
import type { AccountStart } from './accounts.ts'

/** Which channel the bot runs on: the simulator, our WeCom puppet, or a Wechaty puppet by package name. */
export type PuppetChoice =
  | { kind: 'simulator' }
  | { kind: 'puppet'; name: string; puppet: PuppetInterface | string; options?: Record<string, unknown>; platform?: PlatformExtras }

/** Raised when the chosen puppet lacks what it needs; the message says what to set, in Chinese. */
export class PuppetConfigError extends Error {}

/** True when the account runs in the simulator (no puppet, or the mock one). */
export function isSimulated(account: Pick<AccountConfig, 'puppet'>): boolean {
  return !account.puppet || account.puppet === 'mock' || account.puppet === 'wechaty-puppet-mock'
}

/**
 * Pick an account's puppet (default: the only or first account, from WECHATY_PUPPET or
 * bot.puppet); none (or "mock") means the simulator. The WeCom SDK loads only when chosen.
 */
export async function choosePuppet(config: Config, log: Logger, account: AccountConfig = config.accounts[0]): Promise<PuppetChoice> {
  const name = account.puppet
  if (isSimulated(account) || !name) return { kind: 'simulator' }
  if (name === 'wecom') {
    const { botId, secret, wsUrl } = account.wecom
    if (!botId || !secret) {
      throw new PuppetConfigError('使用企业微信智能机器人需要设置环境变量 WECOM_BOT_ID 和 WECOM_BOT_SECRET（在企业微信管理后台的智能机器人“API 配置”中获取，选择长连接方式）。')
    }
    const { PuppetWecom } = await import('../puppet-wecom/mod.ts')
    const puppet = new PuppetWecom({
      botId, secret, wsUrl, botName: config.bot.name, members: { ...config.members }, log: log.child({ puppet: 'wecom', account: account.id }),
      welcome: config.wecom.welcome ?? defaultWelcome(config),
    })
    return { kind: 'puppet', name, puppet, platform: wecomPlatform(puppet, config) }
  }
  const options: Record<string, unknown> = {}
  if (account.puppetToken) options.token = account.puppetToken
  return { kind: 'puppet', name, puppet: name, options }
}

/**
 * Every account's puppet, as `studybot start` runs them: the simulator when every account is
 * simulated; real puppets otherwise (a mix is refused with PuppetConfigError, in Chinese).
 */
export async function chooseAccounts(config: Config, log: Logger): Promise<{ kind: 'simulator' } | { kind: 'puppets'; accounts: AccountStart[]; names: string[] }> {
  if (config.accounts.every(isSimulated)) return { kind: 'simulator' }
  if (config.accounts.some(isSimulated)) {
    throw new PuppetConfigError('accounts 中的账号不能混用模拟器（puppet: mock）和真实账号：要么全部写真实的 puppet，要么全部用模拟器。')
  }
  const accounts: AccountStart[] = []
  const names: string[] = []
  for (const account of config.accounts) {
    const c = await choosePuppet(config, log, account)
    if (c.kind !== 'puppet') continue
    accounts.push({ account, puppet: c.puppet, puppetOptions: c.options, platform: c.platform })
    names.push(c.name)
  }
  return { kind: 'puppets', accounts, names }
}

/** What the WeCom puppet adds: one stream holds a whole answer, the thinking frame, answer ratings. */
export function wecomPlatform(puppet: PuppetWecom, config: Config): PlatformExtras {
  return {
    maxMessageBytes: puppet.maxMessageBytes,
    progress: {
      thinkingAfterMs: config.wecom.thinkingAfterMs,
      thinking: (messageId) => puppet.showThinking(messageId),
      done: (messageId) => puppet.doneWith(messageId),
    },
    onAnswerFeedback: (handler) => puppet.onFeedback(handler),
  }
}

/** The welcome for a member who opens the private chat (wecom.welcome overrides it; '' turns it off). */
export function defaultWelcome(config: Config): string {
  return [
    `你好，我是${config.bot.name}，支部学习群的学习助手。`,
    `· 直接发问题，我从学习材料里找答案并注明出处，例如：预备党员的预备期是多久？`,
    `· 发送“#心得 你的学习体会”提交心得；发送“#帮助”查看全部命令。`,
    `· 在群里请先 @${config.bot.name} 再提问。`,
  ].join('\n')
}
