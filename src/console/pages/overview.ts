import type { Hono } from 'hono'
import { html } from 'hono/html'
import type { GroupConfig } from '../../config.ts'
import type { Deps } from '../../deps.ts'
import type { Messenger } from '../../bot/messenger.ts'
import { countedMembers } from '../../participation/participation.ts'
import { targetGroups } from '../../schedules/definitions.ts'
import { clip, scheduleOverview, type ScheduleRow } from '../../schedules/overview.ts'
import type { AppEnv, ConsoleEnv } from '../env.ts'
import { needs, groupsFor } from '../guard.ts'
import { groupName, href, page, when, type Fragment } from '../layout.ts'
import { chart } from '../chart.ts'
import { KEPT_QUESTIONS, type LoggedQuestion } from '../../store/question-log.ts'
import { questionsChart } from '../questions-chart.ts'

/** How many past assignments the 概览 chart shows. */
const ASSIGNMENTS_SHOWN = 8

/** What 概览 shows for one group. */
export interface GroupOverview {
  group: GroupConfig
  members: number
  /** The open assignment and how many of the counted members submitted. */
  current?: { id: string; title: string; dueAt: number; submitted: number }
  /** The last assignments, oldest first, with submissions. */
  recent: Array<{ id: string; title: string; submitted: number }>
  /** The next broadcasts to this group, soonest first. */
  upcoming: ScheduleRow[]
  /** The group's recent questions, newest first (for questions per day and the share answered). */
  questions: LoggedQuestion[]
}

/** Read everything 概览 shows for `groups` (the baseline `bench:console` compares the page with). */
export async function readOverview(deps: Deps, messenger: Messenger, groups: readonly GroupConfig[]): Promise<GroupOverview[]> {
  const { config, clock } = deps
  const assignments = deps.stores.assignments
  const rows = await scheduleOverview(config, deps.stores.schedules, clock.now())
  return Promise.all(groups.map(async (group) => {
    const [members, list, questions] = await Promise.all([
      countedMembers(messenger, group), assignments.list(group.key), deps.stores.questionLog.recent(group.key, KEPT_QUESTIONS),
    ])
    const counted = new Set(members.map((m) => m.id))
    const recent = await Promise.all(list.slice(-ASSIGNMENTS_SHOWN).map(async (a) => {
      const done = await assignments.submitters(group.key, a.id)
      return { id: a.id, title: a.title, dueAt: a.dueAt, submitted: [...done].filter((id) => counted.has(id)).length }
    }))
    const now = clock.now()
    const open = [...recent].reverse().find((a) => a.dueAt > now)
    return {
      group,
      members: members.length,
      ...(open ? { current: open } : {}),
      recent,
      questions,
      upcoming: rows
        .filter((r) => r.next !== undefined && targetGroups(config, r.def).some((g) => g.key === group.key))
        .sort((a, b) => a.next! - b.next!)
        .slice(0, 5),
    }
  }))
}

function groupCard(env: ConsoleEnv, o: GroupOverview): Fragment {
  const { current } = o
  return html`<section class="card" aria-label="${groupName(o.group)}">
<h2>${groupName(o.group)}</h2>
${current
    ? html`<p>本期学习任务「${current.title}」：<span class="big">${current.submitted} / ${o.members}</span> 人已提交
  <span class="muted">（截止 ${when(env, current.dueAt)}）</span> <a href="${href(env, '/participation', { group: o.group.key })}">查看名单</a></p>`
    : html`<p class="muted">当前没有进行中的学习任务。群里共 ${o.members} 人。</p>`}
${o.recent.length
    ? chart({ label: `${groupName(o.group)}最近学习任务的提交人数`, labels: o.recent.map((a) => a.title), series: [
      { label: '已提交', data: o.recent.map((a) => a.submitted) },
      { label: '应提交', data: o.recent.map(() => o.members) },
    ] })
    : html`<p class="muted">还没有学习任务。</p>`}
<h3>提问</h3>
${questionsChart(env, o.group, o.questions)}
<p><a href="${href(env, '/answers', { group: o.group.key })}">查看问答</a></p>
<h3>接下来的定时任务</h3>
${o.upcoming.length
    ? html`<ul class="plain">${o.upcoming.map((r) => html`<li>${when(env, r.next!)} · ${r.def.id} ${r.def.label ?? r.def.cron}${r.def.text ? html` · ${clip(r.def.text, 24)}` : ''}</li>`)}</ul>`
    : html`<p class="muted">没有即将执行的定时任务。</p>`}
</section>`
}

/** 概览: per group, this assignment's submissions with a chart of the last ones, questions per day and the share answered, and the next broadcasts. */
export function mountOverview(app: Hono<AppEnv>, env: ConsoleEnv): void {
  app.get('/', needs(env, 'stats'), async (c) => {
    const data = await readOverview(env.deps, env.messenger, groupsFor(c, env, 'stats'))
    return page(c, env, { title: '概览', body: html`<div class="cards">${data.map((o) => groupCard(env, o))}</div>` })
  })
}
