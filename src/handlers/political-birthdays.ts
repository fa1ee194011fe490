import type { Handler } from '../bot/context.ts'
import { groupName } from '../config.ts'
import { dateInZone } from '../clock.ts'
import { anniversaryIn, chineseDate, fullYears } from '../org-life/ledger-dates.ts'
import { yearsText } from '../org-life/birthdays.ts'
import { answerPrivately } from './answer-privately.ts'
import { command } from './command.ts'

const TALK_EXAMPLE = '#生日谈话 张三 已完成'

/** `#本月政治生日`: this month's political birthdays in the group, with greeting and talk status, privately to secretaries and organizers. */
export const listMonthBirthdays: Handler = command({ name: '本月政治生日', action: 'orgRecords', example: '#本月政治生日 1' }, async (ctx, { group }) => {
  const { stores, config, clock } = ctx.deps
  const today = dateInZone(clock.now(), config.timezone)
  const year = Number(today.slice(0, 4))
  const month = today.slice(0, 7)
  const ledger = await stores.ledger.list(group.key)
  if (!ledger.length) return answerPrivately(ctx, `“${groupName(group)}”还没有党员台账，请先导入：studybot members import 台账.xlsx --group ${groupName(group)}`)
  const [greeted, talks] = await Promise.all([stores.birthdays.greetings(group.key, year), stores.birthdays.talks(group.key, year)])
  const rows = ledger
    .map((m) => ({ m, day: anniversaryIn(m.joined, year) }))
    .filter(({ m, day }) => day.startsWith(month) && fullYears(m.joined, day) >= 1)
    .sort((a, b) => a.day.localeCompare(b.day) || a.m.row - b.m.row)
  const title = `“${groupName(group)}”${Number(month.slice(5))}月的政治生日`
  if (!rows.length) return answerPrivately(ctx, `${title}：本月没有。`)
  await answerPrivately(ctx, [
    `${title}（${rows.length} 人）：`,
    ...rows.map(({ m, day }) => {
      const b = { member: m, years: fullYears(m.joined, day), ...(m.confirmed ? { partyYears: fullYears(m.confirmed, day) } : {}) }
      const greeting = greeted.has(m.key) ? '已问候' : day < today ? '未问候' : day === today ? '今天' : '未到'
      return `· ${chineseDate(day).slice(5)} ${m.name}：${yearsText(b)} · ${greeting} · 生日谈话${talks.has(m.key) ? '已完成' : '未完成'}`
    }),
    `谈话后发送“${TALK_EXAMPLE}”记录。`,
  ].join('\n'))
})

/** `#生日谈话 张三 已完成`: a secretary records this year's 生日谈话 with a ledger member. */
export const recordBirthdayTalk: Handler = command({ name: '生日谈话', action: 'orgRecords', example: '#生日谈话 1 张三 已完成' }, async (ctx, { group, args }) => {
  const m = /^(\S+)\s*(?:已完成|完成|已谈|已谈话)$/.exec(args.trim())
  if (!m) return answerPrivately(ctx, `请写上同志的姓名和“已完成”，例如：${TALK_EXAMPLE}`)
  const { stores, config, clock } = ctx.deps
  const ledger = await stores.ledger.list(group.key)
  const member = ledger.find((x) => x.name === m[1])
  if (!member) return answerPrivately(ctx, `“${groupName(group)}”的党员台账中没有“${m[1]}”。请核对姓名，例如：${TALK_EXAMPLE}`)
  const year = Number(dateInZone(clock.now(), config.timezone).slice(0, 4))
  const first = await stores.birthdays.recordTalk(group.key, year, member.key, ctx.sender.name)
  await answerPrivately(ctx, first ? `已记录：${year} 年与${member.name}同志的生日谈话已完成。` : `${year} 年与${member.name}同志的生日谈话此前已记录为完成。`)
})
