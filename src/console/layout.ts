import { html } from 'hono/html'
import type { GroupConfig } from '../config.ts'
import { formatInZone } from '../clock.ts'
import { groupName } from '../config.ts'

export { groupName }
import { groupsWhere, type ConsoleAction, type Session } from './access.ts'
import type { ConsoleEnv, Ctx } from './env.ts'

/** A piece of escaped HTML (hono/html escapes every interpolated value). */
export type Fragment = ReturnType<typeof html>

/** The pages, in menu order, with who may open each. */
export const PAGES = [
  { path: '/', title: '概览', action: 'stats' },
  { path: '/schedules', title: '定时任务', action: 'schedule' },
  { path: '/reflections', title: '心得', action: 'export' },
  { path: '/participation', title: '参与情况', action: 'stats' },
  { path: '/materials', title: '学习材料', action: 'console' },
  { path: '/answers', title: '问答', action: 'console' },
] as const satisfies ReadonlyArray<{ path: string; title: string; action: ConsoleAction }>

/** A link inside the console, under its path prefix. */
export function href(env: ConsoleEnv, path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])))
  return `${env.base}${path}${q.size ? `?${q}` : ''}`
}

function head(env: ConsoleEnv, title: string): Fragment {
  const asset = (name: string) => `${env.base}/assets/${env.assets[name].hash}/${name}`
  return html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 学习助手后台</title>
<link rel="stylesheet" href="${asset('console.css')}">
<script src="${asset('chart.js')}" defer></script>
<script src="${asset('console.js')}" defer></script>
</head>`
}

/** A full page for a logged-in user: header, menu of the pages they may open, the body. */
export function page(c: Ctx, env: ConsoleEnv, o: { title: string; body: Fragment; notice?: string; status?: 200 | 400 | 403 | 404 | 413 | 500 }) {
  const session = c.get('session')
  const groups = env.deps.config.groups
  const current = PAGES.find((p) => p.title === o.title)?.path
  const menu = PAGES.filter((p) => groupsWhere(session, p.action, groups).length)
    .map((p) => html`<a href="${href(env, p.path)}"${p.path === current ? html` aria-current="page"` : ''}>${p.title}</a>`)
  return c.html(html`<!doctype html>
<html lang="zh-CN">
${head(env, o.title)}
<body>
<header>
  <span class="brand">${env.deps.config.bot.name} · 网页后台</span>
  <span>${session.who.name}（${roleSummary(session, groups)}）</span>
  <form method="post" action="${href(env, '/logout')}">${csrfField(c)}<button type="submit">退出登录</button></form>
</header>
<nav>${menu}</nav>
<main>
<h1>${o.title}</h1>
${o.notice ? html`<div class="notice" role="status">${o.notice}</div>` : ''}
${o.body}
</main>
</body>
</html>`, o.status ?? 200)
}

/** A page for someone not logged in (login, refusals). */
export function barePage(c: Ctx, env: ConsoleEnv, o: { title: string; body: Fragment; status?: 200 | 400 | 401 | 403 | 404 | 500 }) {
  return c.html(html`<!doctype html>
<html lang="zh-CN">
${head(env, o.title)}
<body>
<header><span class="brand">${env.deps.config.bot.name} · 网页后台</span></header>
<main>
<h1>${o.title}</h1>
${o.body}
</main>
</body>
</html>`, o.status ?? 200)
}

/** The hidden field every form carries (checked on the server for every POST). */
export function csrfField(c: Ctx): Fragment {
  return html`<input type="hidden" name="_csrf" value="${c.get('session').csrf}">`
}

/** An error message shown next to a form field, or nothing. */
export function fieldError(errors: Record<string, string>, field: string): Fragment {
  return html`${errors[field] ? html`<p class="field-error" id="${field}-error">${errors[field]}</p>` : ''}`
}

/** aria attributes marking a field invalid. */
export function invalid(errors: Record<string, string>, field: string): Fragment {
  return html`${errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : ''}`
}

/** A <select> of groups, keeping the chosen one. */
export function groupSelect(name: string, groups: readonly GroupConfig[], chosen?: string): Fragment {
  return html`<select name="${name}" id="${name}">${groups.map((g) =>
    html`<option value="${g.key}"${g.key === chosen ? html` selected` : ''}>${groupName(g)}</option>`)}</select>`
}

/** A date and time in the configured zone, e.g. 2026-11-30 09:00. */
export function when(env: ConsoleEnv, ms: number): string {
  return formatInZone(ms, env.deps.config.timezone)
}

/** The audit list shown at the bottom of a page: who changed what, when. */
export function auditList(env: ConsoleEnv, entries: Array<{ at: number; who: { name: string }; action: string }>): Fragment {
  return html`<section class="card" aria-label="操作记录"><h2>操作记录</h2>${entries.length
    ? html`<ul class="plain audit">${entries.map((e) => html`<li>${when(env, e.at)} · ${e.who.name}：${e.action}</li>`)}</ul>`
    : html`<p class="muted">还没有在后台做过更改。</p>`}</section>`
}

function roleSummary(session: Session, groups: readonly GroupConfig[]): string {
  const names = new Set(Object.values(session.roles).flat().map((r) => (r === 'secretary' ? '书记' : '组织委员')))
  const n = groups.filter((g) => session.roles[g.key]?.length).length
  return `${[...names].join('、')}，${n} 个群`
}
