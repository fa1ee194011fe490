import { groupName, type Config, type GroupConfig } from '../config.ts'
import type { Logger } from '../log.ts'
import type { Messenger } from '../bot/messenger.ts'
import { tellSecretaries } from '../bot/tell-secretaries.ts'
import type { BroadcastChannel, GroupChannels } from '../bot/wechaty-messenger.ts'
import { platformFailureOf } from '../send/send-error.ts'
import type { GroupChannel } from './choose-channel.ts'
import { createWebhookSender, WebhookRemovedError, type WebhookSenderOptions } from './wecom-webhook/mod.ts'

/**
 * The group robots of the groups that configure one (scheduled broadcasts and @-mentions go
 * through them, see chooseGroupChannel), and what happens when a broadcast is refused for good:
 * the group's secretaries are told privately what went wrong and how to fix it. `sender`
 * overrides the webhook senders' defaults (limits, backoff).
 */
export function createBroadcastChannels(
  config: Config, log: Logger, messenger: () => Messenger,
  sender: Partial<Omit<WebhookSenderOptions, 'urlOrKey' | 'log'>> = {},
): GroupChannels {
  const webhooks: Record<string, BroadcastChannel> = {}
  for (const group of config.groups) {
    const urlOrKey = config.secrets.webhooks[group.key]
    if (!urlOrKey) continue
    const webhook = createWebhookSender({ ...sender, urlOrKey, log: log.child({ group: group.key, channel: 'webhook' }) })
    webhooks[group.key] = (text, mentions) => webhook.send(text, { mentions })
  }
  return {
    webhooks,
    async refused(groupKey, via, err) {
      const group = config.groups.find((g) => g.key === groupKey)
      const notice = group && refusalNotice(config, group, via, err)
      if (!notice) return
      log.warn({ group: groupKey, via, failure: platformFailureOf(err)?.failure }, 'broadcast refused; telling the secretaries')
      await tellSecretaries(messenger(), config, group, notice, log)
    },
  }
}

/**
 * What the secretaries are told when a broadcast was refused, in Chinese; none when nothing they
 * can do would help (the receipt was late, the connection was down: those are in the log).
 */
export function refusalNotice(config: Config, group: GroupConfig, via: GroupChannel, err: unknown): string | undefined {
  const failure = platformFailureOf(err)
  if (!failure || (failure.failure !== 'refused' && failure.failure !== 'not-activated')) return undefined
  const head = `【学习助手】“${groupName(group)}”的定时通知没有发出去`
  if (failure instanceof WebhookRemovedError) {
    return `${head}：${failure.message}。请在企业微信中重新把群机器人加入该群，或更新配置中 webhook 对应的 key。`
  }
  if (via === 'webhook') return `${head}：${failure.message}。请检查该群的群机器人是否还在群里、webhook 地址是否正确。`
  const robot = `给这个群添加一个“群机器人”，把它的 Webhook 地址配置为该群的 webhook（推荐：之后定时通知随时都能发出，提醒也能真正 @ 到人）`
  if (failure.failure === 'not-activated') {
    return [
      `${head}：企业微信只允许智能机器人在最近有人和它说过话的群里主动发言，这个群最近没有人 @ 过机器人。`,
      `解决办法（任选其一）：`,
      `1. ${robot}；`,
      `2. 请群里任意一人先 @${config.bot.name} 说一句话，之后一段时间内（约 24 小时）的定时通知就能发出。`,
    ].join('\n')
  }
  return `${head}：${failure.message}。可以${robot}。`
}
