import type { Deps } from '../deps.ts'
import { groupName, type Config, type GroupConfig } from '../config.ts'
import { formatInZone } from '../clock.ts'
import { shownAnswer } from './judge-answer.ts'

/** Rounds shown by #我的答题. */
const RECENT_ROUNDS = 5

/** `#我的答题`: the member's answers in the latest rounds, right or wrong once a round has closed. */
export async function myAnswersText(deps: Deps, group: GroupConfig, memberId: string): Promise<string> {
  const { stores, config } = deps
  const rounds = await stores.quiz.latestRounds(group.key, RECENT_ROUNDS)
  if (!rounds.length) return `“${groupName(group)}”还没有出过每日一题。`
  const lines: string[] = [`你在“${groupName(group)}”最近的每日一题：`]
  let right = 0
  let asked = 0
  for (const round of rounds) {
    const mine = await stores.quiz.memberAnswers(group.key, round, memberId)
    lines.push(`${formatInZone(round.openedAt, config.timezone).slice(0, 10)}${round.status === 'open' ? `（进行中，${formatInZone(round.dueAt, config.timezone).slice(11)} 截止）` : ''}`)
    round.questions.forEach((q, i) => {
      const a = mine[i]
      const n = round.questions.length > 1 ? `第${i + 1}题 ` : ''
      const stem = q.stem.length > 30 ? `${q.stem.slice(0, 30)}…` : q.stem
      if (round.status === 'open') lines.push(`· ${n}${stem}\n  你的答案：${a ? a.text : '未作答'}（截止后公布对错）`)
      else {
        asked++
        if (a?.correct) right++
        lines.push(`· ${n}${stem}\n  ${a ? `你的答案：${a.text} ${a.correct ? '✓ 正确' : '✗ 错误'}` : '未作答'}；正确答案：${shownAnswer(q)}`)
      }
    })
  }
  if (asked) lines.push(`已公布的 ${asked} 题中你答对 ${right} 题。`)
  return lines.join('\n')
}

/** The points rules in words, from the config. */
export function pointsRulesText(config: Config): string {
  const p = config.quiz.points
  return [
    `答对一题 ${p.correct} 分`,
    ...(p.firstCorrect ? [`最先答对再加 ${p.firstCorrect} 分`] : []),
    ...(p.reflection ? [`提交心得 ${p.reflection} 分（每个学习任务一次；平时心得每天一次）`] : []),
    ...(p.checkin ? [`学习打卡 ${p.checkin} 分（每天一次，发送“#打卡”）`] : []),
  ].join('，')
}

/** `#积分`: the member's points this month and in total, with ranks, privately. */
export async function myPointsText(deps: Deps, group: GroupConfig, memberId: string): Promise<string> {
  const s = await deps.stores.points.standing(group.key, memberId)
  const rank = (r: number | undefined) => (r ? `第 ${r} 名` : '暂无排名')
  return [
    `你在“${groupName(group)}”的积分：`,
    `本月 ${s.month} 分（${rank(s.monthRank)}）`,
    `累计 ${s.total} 分（${rank(s.rank)}，共 ${s.members} 人有积分）`,
    `积分规则：${pointsRulesText(deps.config)}。`,
  ].join('\n')
}

/** `#积分榜`: the month's top 10 in the group. */
export async function leaderboardText(deps: Deps, group: GroupConfig): Promise<string> {
  const { stores, clock } = deps
  const month = stores.points.monthOf(clock.now())
  const top = await stores.points.top(group.key, month, 10)
  const title = `【${month.slice(0, 4)}年${Number(month.slice(5))}月积分榜 · ${groupName(group)}】`
  if (!top.length) return `${title}\n本月还没有人获得积分。`
  return [title, ...top.map((r) => `${r.rank}. ${r.name} ${r.points} 分`), `积分规则：${pointsRulesText(deps.config)}。`].join('\n')
}
