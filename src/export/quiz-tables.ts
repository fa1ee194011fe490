import type { Deps } from '../deps.ts'
import { groupName, type GroupConfig } from '../config.ts'
import { formatInZone } from '../clock.ts'
import type { PointsReason } from '../store/points-store.ts'
import { shownAnswer } from '../quiz/judge-answer.ts'

/** A sheet of an export: a name, its column headers and rows. */
export interface Table {
  name: string
  headers: string[]
  rows: (string | number)[][]
}

/** Epoch-ms bounds of an export, [since, until). */
export interface MsRange {
  sinceMs?: number
  untilMs?: number
}

const TYPE_LABEL = { fill: '填空', single: '单选', multi: '多选', judge: '判断' } as const

/** 答题情况: one row per member answer of each question of each round (and one for a question nobody answered). */
export async function quizTable(deps: Pick<Deps, 'stores' | 'config'>, group: GroupConfig, range: MsRange = {}): Promise<Table> {
  const { stores, config } = deps
  const tz = config.timezone
  const { correct, firstCorrect } = config.quiz.points
  const rows: (string | number)[][] = []
  for (const round of await stores.quiz.rounds(group.key, range.sinceMs, range.untilMs)) {
    const answers = await stores.quiz.answers(group.key, round.id)
    round.questions.forEach((q, i) => {
      const base = [
        formatInZone(round.openedAt, tz), groupName(group), round.id, i + 1, TYPE_LABEL[q.type], q.stem, shownAnswer(q), q.citation ?? '',
        round.status === 'open' ? '进行中' : '已截止',
      ]
      const mine = answers.filter((a) => a.question === i).sort((a, b) => a.at - b.at)
      if (!mine.length) rows.push([...base, '', '', '（无人作答）', '', '', 0])
      for (const a of mine) {
        const first = round.results?.[i]?.firstCorrect === a.member
        const points = round.status === 'closed' && a.correct ? correct + (first ? firstCorrect : 0) : 0
        rows.push([...base, a.name, a.member, a.text, round.status === 'open' ? '' : a.correct ? '对' : '错', formatInZone(a.at, tz), points])
      }
    })
  }
  return {
    name: '答题情况',
    headers: ['出题时间', '群', '轮次ID', '题号', '题型', '题干', '正确答案', '出处', '状态', '成员', '成员ID', '作答', '对错', '作答时间', '积分'],
    rows,
  }
}

const REASON_COLUMNS: PointsReason[] = ['quiz', 'quiz-first', 'reflection', 'checkin']

/** 月度积分: one row per member and month, points by reason and in total. */
export async function pointsTable(deps: Pick<Deps, 'stores' | 'config'>, group: GroupConfig, range: MsRange = {}): Promise<Table> {
  const awards = (await deps.stores.points.awards(group.key))
    .filter((a) => (range.sinceMs === undefined || a.at >= range.sinceMs) && (range.untilMs === undefined || a.at < range.untilMs))
  const byMonthMember = new Map<string, { month: string; member: string; name: string; points: Record<PointsReason, number> }>()
  for (const a of awards) {
    const key = `${a.month}\n${a.member}`
    const row = byMonthMember.get(key) ?? { month: a.month, member: a.member, name: a.name, points: { quiz: 0, 'quiz-first': 0, reflection: 0, checkin: 0 } }
    row.points[a.reason] += a.points
    row.name = a.name
    byMonthMember.set(key, row)
  }
  const rows = [...byMonthMember.values()]
    .map((r) => ({ ...r, total: REASON_COLUMNS.reduce((n, k) => n + r.points[k], 0) }))
    .sort((a, b) => a.month.localeCompare(b.month) || b.total - a.total || a.member.localeCompare(b.member))
    .map((r) => [r.month, groupName(group), r.name, r.member, ...REASON_COLUMNS.map((k) => r.points[k]), r.total])
  return { name: '月度积分', headers: ['月份', '群', '成员', '成员ID', '答题积分', '最先答对奖励', '心得积分', '打卡积分', '合计'], rows }
}
