import { commandArgs, type Ctx, type Handler } from '../bot/context.ts'
import { quoted } from './command.ts'

/** True for `#帮助`, `#help`, or an @-mention / private message that just says 帮助. */
export function isHelpRequest(ctx: Ctx): boolean {
  if (commandArgs(ctx.text, '帮助', 'help', '菜单') !== undefined) return true
  return ctx.mentioned && /^(帮助|help|菜单|你能做什么[？?]?)$/i.test(ctx.text)
}

/** The help text for this sender: secretary and organizer commands only for those who may use them. */
export function helpText(ctx: Ctx): string {
  const name = ctx.deps.config.bot.name
  const lines = [
    `我是${name}，可以帮大家学习：`,
    ctx.isPrivate
      ? '· 直接发送问题 —— 从学习材料中查找答案，并注明出处'
      : `· @${name} 你的问题 —— 从学习材料中查找答案，并注明出处`,
    `  （想看完整条文，收到回答后再发“原文”，或在问题后加“原文”；答得不对时${ctx.isPrivate ? '回复“不对”' : `发 @${name} 不对`}，书记会补充答案）`,
    '· #心得 内容 —— 提交心得体会',
    '· #修改心得 内容 —— 修改本次学习任务的心得',
    '· #撤回心得 —— 撤回本次学习任务的心得',
    '· #我的心得 —— 私聊查看自己提交过的心得',
    '· #答 B 或 #答 一年 —— 回答每日一题（多题时写题号：#答 2 B），截止前可改',
    '· #我的答题 —— 私聊查看自己的答题结果',
    '· #积分 —— 私聊查看自己的积分和名次',
    ...(ctx.deps.config.quiz.points.checkin ? ['· #打卡 —— 每日学习打卡'] : []),
    ...(ctx.deps.config.quiz.publicLeaderboard ? ['· #积分榜 —— 本月积分前十名'] : []),
    '· #签到 / #请假 理由 —— 会议开始后签到或请假（私聊确认）',
    '· #已交党费 —— 缴纳党费后确认（私聊确认）',
    '· #帮助 —— 显示本说明',
  ]
  if (ctx.may('schedule')) {
    lines.push(
      '',
      '书记可用：',
      '· #定时 添加 每周一 09:00 内容 —— 添加定时提醒（支持 每天、工作日、每周X、每月N日）',
      '· #定时 列表 / 暂停 ID / 恢复 ID / 删除 ID / 立即 ID / 预览 ID',
      '· #提醒 —— 提醒尚未提交心得的同志',
      '· #定时 添加 每天 20:00 每日一题 [3题] [截止 22:00] —— 定时出题',
      '· #出题 预览 / 换一题 / 删除 —— 私聊查看下一道题，跳过或删除',
      '· #教 问题 => 答案（或 => 党章第七条） —— 教机器人回答本群常问的问题',
      '· #教 列表 / 删除 编号 —— 查看或删除教过的问答',
      '· #未答问题 —— 最近没答上或被指出答得不对的问题（附次数）',
      ...(ctx.deps.config.quiz.publicLeaderboard ? [] : ['· #积分榜 —— 在群里公布本月积分前十名']),
    )
  }
  if (ctx.may('stats') || ctx.may('export')) {
    lines.push('', ctx.may('schedule') && !ctx.may('export') ? '统计：' : '组织委员可用：')
    if (ctx.may('stats')) lines.push('· #统计 [任务ID] —— 查看心得提交情况')
    if (ctx.may('export')) lines.push('· #导出 [本月 | 2026-11-01 2026-11-30] —— 私聊发送心得汇总 Excel')
  }
  if (ctx.may('orgRecords')) {
    lines.push(
      '',
      '组织生活（书记、组织委员可用，结果私聊发送）：',
      '· #台账 —— 查看党员台账与群成员的对应情况',
      '· #导入台账 —— 查看导入台账的方法',
      '· #本月政治生日 —— 本月过政治生日的同志、问候和生日谈话情况',
      '· #生日谈话 张三 已完成 —— 记录生日谈话',
      '· #会议记录 内容 —— 为最近一次会议添加会议记录',
      '· #党费情况 —— 本月党费确认情况和未确认名单',
    )
  }
  if (ctx.deps.config.console.enabled && (ctx.may('stats') || ctx.may('schedule'))) {
    lines.push('· #后台 —— 私聊获取网页后台的登录链接（查看参与情况、管理定时任务和学习材料）')
  }
  return lines.join('\n')
}

/** `#帮助`: list what the bot does for this sender. */
export const showHelp: Handler = async (ctx, next) => {
  if (!isHelpRequest(ctx)) return next()
  await ctx.reply(helpText(ctx))
}

/** A `#命令` nobody handled: say so instead of staying silent. */
export const rejectUnknownCommand: Handler = async (ctx, next) => {
  const m = /^[#＃]\s*(\S{0,12})/.exec(ctx.text)
  if (!m) return next()
  await ctx.reply(m[1] ? `没有“#${quoted(m[1])}”这个命令。发送 #帮助 查看可用的命令。` : '请在 # 后面写上命令，发送 #帮助 查看可用的命令。')
}
