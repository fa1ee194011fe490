import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Hono } from 'hono'
import { html } from 'hono/html'
import type { GroupConfig } from '../../config.ts'
import { dateInZone } from '../../clock.ts'
import type { Assignment } from '../../store/assignment-store.ts'
import { statusLabel } from '../../export/columns.ts'
import { exportGroup, FORMATS, matchingReflections, type ExportFormat, type ReflectionQuery } from '../../export/export-group.ts'
import { countedMembers } from '../../participation/participation.ts'
import type { Reflection } from '../../store/reflection-store.ts'
import type { AppEnv, ConsoleEnv, Ctx } from '../env.ts'
import { groupFor, groupsFor, needs } from '../guard.ts'
import { fieldError, groupName, groupSelect, href, invalid, page, when } from '../layout.ts'

/** Rows shown per page of the table. */
const PAGE_SIZE = 100

const formatNames: Record<ExportFormat, string> = { xlsx: 'Excel（.xlsx）', csv: 'CSV', md: 'Markdown', json: 'JSON' }
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** The filters from the query string, checked; problems go next to their fields. */
function readFilters(c: Ctx, env: ConsoleEnv): { group: GroupConfig; q: ReflectionQuery; errors: Record<string, string>; page: number } {
  const group = groupFor(c, env, 'export', c.req.query('group')) ?? groupsFor(c, env, 'export')[0]
  const errors: Record<string, string> = {}
  const date = (name: 'since' | 'until') => {
    const v = c.req.query(name)?.trim()
    if (!v) return undefined
    if (!DATE.test(v) || Number.isNaN(Date.parse(v))) { errors[name] = '请填写日期，如 2026-11-01'; return undefined }
    return v
  }
  const q: ReflectionQuery = {
    since: date('since'), until: date('until'),
    assignmentId: c.req.query('assignment') || undefined,
    member: c.req.query('member')?.trim() || undefined,
    text: c.req.query('q')?.trim() || undefined,
  }
  if (q.since && q.until && q.until < q.since) errors.until = '结束日期不能早于开始日期'
  return { group, q, errors, page: Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1) }
}

function queryOf(group: GroupConfig, q: ReflectionQuery): Record<string, string | undefined> {
  return { group: group.key, assignment: q.assignmentId, since: q.since, until: q.until, member: q.member, q: q.text }
}

function filters(c: Ctx, env: ConsoleEnv, group: GroupConfig, q: ReflectionQuery, assignments: Assignment[], errors: Record<string, string>) {
  return html`<form method="get" action="${href(env, '/reflections')}" class="filters card" novalidate>
<label>学习群 ${groupSelect('group', groupsFor(c, env, 'export'), group.key)}</label>
<label>学习任务 <select name="assignment"><option value="">全部</option>${assignments.map((a) => html`<option value="${a.id}"${a.id === q.assignmentId ? html` selected` : ''}>${a.title}</option>`)}</select></label>
<label>开始日期 <input type="date" name="since" value="${q.since ?? c.req.query('since') ?? ''}"${invalid(errors, 'since')}>${fieldError(errors, 'since')}</label>
<label>结束日期 <input type="date" name="until" value="${q.until ?? c.req.query('until') ?? ''}"${invalid(errors, 'until')}>${fieldError(errors, 'until')}</label>
<label>成员 <input type="text" name="member" value="${q.member ?? ''}" placeholder="姓名"></label>
<label>内容包含 <input type="search" name="q" value="${q.text ?? ''}" placeholder="关键词"></label>
<button type="submit" class="primary">筛选</button>
</form>`
}

function table(env: ConsoleEnv, rows: Reflection[], titles: Map<string, string>) {
  return html`<table class="reflections"><thead><tr><th>提交时间</th><th>成员</th><th>学习任务</th><th>字数</th><th>状态</th><th>内容</th></tr></thead>
<tbody>${rows.length ? rows.map((r) => html`<tr data-id="${r.id}"><td>${when(env, r.submittedMs)}</td><td>${r.memberName}</td><td>${r.assignmentId ? titles.get(r.assignmentId) ?? r.assignmentId : '（无）'}</td><td>${r.chars}</td><td>${statusLabel(r.status)}${r.editedAt ? html`<br><span class="muted">修改于 ${r.editedAt.slice(0, 16).replace('T', ' ')}</span>` : ''}</td><td class="text">${r.text}</td></tr>`)
    : html`<tr><td colspan="6" class="muted">没有符合条件的心得。</td></tr>`}</tbody></table>`
}

/** 心得 (organizers): filterable table with full text and status; downloads through the #导出 exporters. */
export function mountReflections(app: Hono<AppEnv>, env: ConsoleEnv): void {
  app.get('/reflections', needs(env, 'export'), async (c) => {
    const { group, q, errors, page: n } = readFilters(c, env)
    const assignments = await env.deps.stores.assignments.list(group.key)
    const titles = new Map(assignments.map((a) => [a.id, a.title]))
    let total = 0
    const rows: Reflection[] = []
    if (!Object.keys(errors).length) {
      // newest first: keep the wanted page of the matching ones, counting all of them
      const all: Reflection[] = []
      for await (const r of matchingReflections(env.deps, group, q)) all.push(r)
      total = all.length
      rows.push(...all.reverse().slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE))
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    const query = queryOf(group, q)
    return page(c, env, {
      title: '心得', status: Object.keys(errors).length ? 400 : 200,
      body: html`${filters(c, env, group, q, [...assignments].reverse(), errors)}
<section class="card"><p>${groupName(group)}：共 <strong class="total">${total}</strong> 篇${total > PAGE_SIZE ? html`，第 ${n} / ${pages} 页` : ''}。
下载：${FORMATS.map((f) => html`<a class="button download" href="${href(env, '/reflections/export', { ...query, format: f })}">${formatNames[f]}</a> `)}</p>
<p class="muted">下载与群里 #导出 使用同一导出功能，按上面的筛选条件导出。</p>
<div class="scroll">${table(env, rows, titles)}</div>
${pages > 1 ? html`<p class="actions">${n > 1 ? html`<a class="button" href="${href(env, '/reflections', { ...query, page: String(n - 1) })}">上一页</a>` : ''}${n < pages ? html`<a class="button" href="${href(env, '/reflections', { ...query, page: String(n + 1) })}">下一页</a>` : ''}</p>` : ''}
</section>`,
    })
  })

  app.get('/reflections/export', needs(env, 'export'), async (c) => {
    const { group, q, errors } = readFilters(c, env)
    const format = FORMATS.find((f) => f === c.req.query('format'))
    if (!format || Object.keys(errors).length) return c.redirect(href(env, '/reflections', queryOf(group, q)), 303)
    const { config, clock } = env.deps
    const dir = path.join(config.dataDir, 'exports')
    fs.mkdirSync(dir, { recursive: true })
    const out = path.join(dir, `console-${randomBytes(6).toString('hex')}.${format}`)
    try {
      const members = await countedMembers(env.messenger, group).catch((err: unknown) => {
        env.deps.log.warn({ err, group: group.key }, 'group members not listed; export without the member list')
        return []
      })
      await exportGroup(env.deps, group, { format, out, members, ...q })
      const body = fs.readFileSync(out)
      const name = `心得汇总-${groupName(group)}-${dateInZone(clock.now(), config.timezone)}.${format === 'json' ? 'jsonl' : format}`
      env.deps.log.info({ who: c.get('session').who.name, group: group.key, format }, 'console export')
      return c.body(new Uint8Array(body), 200, {
        'content-type': format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/octet-stream',
        'content-disposition': `attachment; filename="export.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      })
    } finally {
      // the data stays in Redis; the file is not kept
      fs.rmSync(out, { force: true })
    }
  })
}
