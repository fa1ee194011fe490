/** The two ways a message can reach a WeCom group. */
export type GroupChannel = 'webhook' | 'bot'

/**
 * Which way a message to a group goes. A group robot (webhook) can post at any time and its
 * `text` `mentioned_list` notifies the people named; the intelligent bot may post only where a
 * member has messaged it recently (DOC 101463; REPORT openclaw-china#223) and its `<@userid>`
 * notifies nobody (REPORT wecom-cli#103). So broadcasts, and anything that @-mentions members,
 * take the group's webhook when it has one; everything else (replies) goes through the bot.
 */
export function chooseGroupChannel(o: { hasWebhook: boolean; broadcast?: boolean; mentions?: number }): GroupChannel {
  return o.hasWebhook && (o.broadcast || (o.mentions ?? 0) > 0) ? 'webhook' : 'bot'
}
