import { groupName, type Config } from '../config.ts'
import type { Logger } from '../log.ts'
import type { Messenger } from '../bot/messenger.ts'
import { tellSecretaries } from '../bot/tell-secretaries.ts'
import type { BroadcastChannel } from '../bot/wechaty-messenger.ts'
import { createWebhookSender, WebhookRemovedError, type WebhookSenderOptions } from './wecom-webhook/mod.ts'

/**
 * A group-robot webhook per group that configures one: scheduled broadcasts to that group go
 * through it. When WeCom says the robot is gone (93000), the group's secretaries are told
 * privately and the error is passed on, marked as not worth retrying. `sender` overrides the
 * webhook senders' defaults (limits, backoff).
 */
export function createBroadcastChannels(
  config: Config, log: Logger, messenger: () => Messenger,
  sender: Partial<Omit<WebhookSenderOptions, 'urlOrKey' | 'log'>> = {},
): Record<string, BroadcastChannel> {
  const channels: Record<string, BroadcastChannel> = {}
  for (const group of config.groups) {
    const urlOrKey = config.secrets.webhooks[group.key]
    if (!urlOrKey) continue
    const webhook = createWebhookSender({ ...sender, urlOrKey, log: log.child({ group: group.key, channel: 'webhook' }) })
    channels[group.key] = async (text, mentions) => {
      try {
        await webhook.send(text, { mentions })
      } catch (err) {
        if (err instanceof WebhookRemovedError) await tellSecretaries(messenger(), config, group, removedNotice(groupName(group), err.message), log)
        throw err
      }
    }
  }
  return channels
}

function removedNotice(groupName: string, reason: string): string {
  return `【学习助手】“${groupName}”的定时通知没有发出去：${reason}。请在企业微信中重新把群机器人加入该群，或更新配置中 webhook 对应的 key。`
}
