import type { Hono } from 'hono'
import { html } from 'hono/html'
import type { GroupConfig } from '../../config.ts'
import { countedMembers, remindMissing } from '../../participation/participation.ts'
import type { AppEnv, ConsoleEnv, Ctx } from '../env.ts'
import { groupFor, groupsFor, needs, refuse } from '../guard.ts'
import { auditList, csrfField, groupName, groupSelect, href, page, when } from '../layout.ts'

/** How many assignments the grid shows, newest last. */
const COLUMNS = 10

/** Members × the last assignments: who submitted to which. */
async function readGrid(env: ConsoleEnv, group: GroupConfig) {
  const assignments = env.deps.stores.assignments
  const [members, all] = await Promise.all([countedMembers(env.messenger, group), assignments.list(group.key)])
  const shown = all.slice(-COLUMNS)
  const done = await Promise.all(shown.map((a) => assignments.submitters(group.key, a.id)))
  return { members, assignments: shown, done }
}

async function gridPage(c: Ctx, env: ConsoleEnv, group: GroupConfig, notice?: string) {
  const { members, assignments, done } = await readGrid(env, group)
  const now = env.deps.clock.now()
  const open = assignments.findLast((a) => a.dueAt > now)
  const missingNow = open ? members.filter((m) => !done[assignments.indexOf(open)].has(m.id)).length : 0
  const canRemind = Boolean(groupFor(c, env, 'remind', group.key))
  const audit = await env.deps.stores.audit.recent('reminders', { groups: [group.key] })
  return page(c, env, {
    title: '参与情况', notice,
    body: html`<form method="get" action="${href(env, '/participation')}" class="filters"><label>学习群 ${groupSelect('group', groupsFor(c, env, 'stats'), group.key)}</label><button type="submit">查看</button></form>
<section class="card">
${open ? html`<p>进行中：「${open.title}」，截止 ${when(env, open.dueAt)}，还有 <strong>${missingNow}</strong> 人未提交。</p>` : html`<p class="muted">当前没有进行中的学习任务。</p>`}
${canRemind && open && missingNow ? html`<form method="post" action="${href(env, '/participation/remind')}" data-confirm="在群里 @ 这 ${missingNow} 位尚未提交的同志？">${csrfField(c)}<input type="hidden" name="group" value="${group.key}"><button type="submit" class="primary">提醒未提交的人</button> <span class="muted">与群里发送 #提醒 相同</span></form>` : ''}
</section>
<div class="card scroll">${assignments.length && members.length ? html`<table class="grid">
<thead><tr><th>成员</th>${assignments.map((a) => html`<th title="${a.title}">${a.title.slice(0, 10)}<br><span class="muted">${when(env, a.openedAt).slice(5, 10)}</span></th>`)}<th>提交</th></tr></thead>
<tbody>${members.map((m) => {
  const cells = done.map((d) => d.has(m.id))
  return html`<tr><th scope="row">${m.name}</th>${cells.map((yes) => (yes ? html`<td class="yes" aria-label="已提交">✓</td>` : html`<td class="no" aria-label="未提交">✗</td>`))}<td>${cells.filter(Boolean).length}/${cells.length}</td></tr>`
})}</tbody>
<tfoot><tr><th>已提交</th>${done.map((d) => html`<td>${members.filter((m) => d.has(m.id)).length}/${members.length}</td>`)}<td></td></tr></tfoot>
</table>` : html`<p class="muted">${members.length ? '还没有学习任务。' : '还不知道这个群有哪些成员（机器人需在群里）。'}</p>`}</div>
${auditList(env, audit)}`,
  })
}

/** 参与情况: member × assignment grid, and the same reminder as #提醒 (secretaries). */
export function mountParticipation(app: Hono<AppEnv>, env: ConsoleEnv): void {
  app.get('/participation', needs(env, 'stats'), async (c) => {
    const group = groupFor(c, env, 'stats', c.req.query('group')) ?? groupsFor(c, env, 'stats')[0]
    const sent = c.req.query('reminded')
    return gridPage(c, env, group, sent !== undefined ? `已在群里提醒 ${sent} 位尚未提交的同志。` : c.req.query('none') !== undefined ? '没有需要提醒的人。' : undefined)
  })

  app.post('/participation/remind', async (c) => {
    const body = await c.req.parseBody()
    const group = groupFor(c, env, 'remind', body.group)
    if (!group) return refuse(c, env, 'remind', '参与情况')
    const result = await remindMissing(env.deps, env.messenger, group)
    if (result.status !== 'reminded') return c.redirect(href(env, '/participation', { group: group.key, none: '1' }), 303)
    const n = result.participation.missing.length
    const who = c.get('session').who
    await env.deps.stores.audit.record({ area: 'reminders', groups: [group.key], who, action: `提醒「${result.participation.assignment.title}」未提交的 ${n} 人（${groupName(group)}）` })
    return c.redirect(href(env, '/participation', { group: group.key, reminded: String(n) }), 303)
  })
}
