import type { Handler } from '../bot/context.ts'
import { groupName } from '../config.ts'
import { matchLedger, matchReport } from '../org-life/ledger.ts'
import { command } from './command.ts'

/** `#台账`: secretaries and organizers see privately how the group's ledger matches the chat's members. */
export const showLedger: Handler = command({ name: '台账', action: 'orgRecords', example: '#台账 1' }, async (ctx, { group }) => {
  const ledger = await ctx.deps.stores.ledger.list(group.key)
  if (!ledger.length) {
    await ctx.replyPrivately(`“${groupName(group)}”还没有党员台账。请在服务器上导入：studybot members import 台账.xlsx --group ${groupName(group)}`)
  } else {
    const imported = await ctx.deps.stores.ledger.lastImport(group.key)
    const members = await ctx.messenger.groupMembers(group.key)
    await ctx.replyPrivately([
      `“${groupName(group)}”党员台账${imported ? `（来自 ${imported.file}）` : ''}：`,
      matchReport(matchLedger(ledger, members)),
    ].join('\n'))
  }
  if (!ctx.isPrivate) await ctx.reply('已私信发给你。')
})

/**
 * `#导入台账`: the text-only message pipeline cannot take the file itself (files are not text
 * messages, and the WeCom bot receives them as encrypted links); the reply says how to import.
 */
export const importLedger: Handler = command({ name: '导入台账', action: 'orgRecords', example: '#导入台账 1' }, async (ctx, { group }) => {
  await ctx.reply([
    '暂不支持在聊天中发送台账文件导入：机器人目前只处理文字消息。',
    `请在运行机器人的服务器上执行：studybot members import 台账.xlsx --group ${groupName(group)}`,
    '（表头：姓名、微信ID、入党日期、转正日期、党小组；示例见 config/党员台账示例.csv）',
  ].join('\n'))
})
