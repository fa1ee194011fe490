import { html } from 'hono/html'
import type { GroupConfig } from '../config.ts'
import { KEPT_QUESTIONS, type LoggedQuestion } from '../store/question-log.ts'
import type { ConsoleEnv } from './env.ts'
import { groupName, type Fragment } from './layout.ts'
import { chart } from './chart.ts'
import { answeredPct, logTruncated, questionsPerDay } from './question-stats.ts'

/** Days the questions chart covers. */
export const QUESTION_DAYS = 14

/** The chart of questions per day with the share answered, as 概览 and 问答 show it. */
export function questionsChart(env: ConsoleEnv, group: GroupConfig, log: readonly LoggedQuestion[]): Fragment {
  const now = env.deps.clock.now()
  const days = questionsPerDay(log, { now, days: QUESTION_DAYS, timezone: env.deps.config.timezone })
  const asked = days.reduce((n, d) => n + d.asked, 0)
  const answered = days.reduce((n, d) => n + d.answered, 0)
  if (!asked) return html`<p class="muted">近 ${QUESTION_DAYS} 天没有人提问。</p>`
  const cut = logTruncated(log, KEPT_QUESTIONS, now - QUESTION_DAYS * 86_400_000)
  return html`<p class="question-summary">近 ${QUESTION_DAYS} 天提问 <strong>${asked}</strong> 个，回答了 <strong>${answeredPct({ asked, answered })}%</strong>${cut ? html`<span class="muted">（只统计最近 ${KEPT_QUESTIONS} 个问题）</span>` : ''}。</p>
${chart({ label: `${groupName(group)}近 ${QUESTION_DAYS} 天每天的提问数和回答比例`, labels: days.map((d) => d.date.slice(5)), series: [
    { label: '提问数', data: days.map((d) => d.asked) },
    { label: '回答比例（%）', data: days.map(answeredPct), type: 'line', axis: 'pct' },
  ] })}`
}
