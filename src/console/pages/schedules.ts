import type { Hono } from 'hono'
import { html } from 'hono/html'
import type { GroupConfig } from '../../config.ts'
import type { ScheduleDef } from '../../store/schedule-store.ts'
import { allSchedules, targetGroups } from '../../schedules/definitions.ts'
import { previewContent } from '../../schedules/firing.ts'
import { nextFireTimes } from '../../schedules/next-fire.ts'
import { parseTimePhrase } from '../../schedules/time-phrases.ts'
import { clip, formatFireTime, formatOutcome, kindName, scheduleOverview, type ScheduleRow } from '../../schedules/overview.ts'
import { addTextSchedule, deleteChatSchedule, firesTooOften, runScheduleNow, setSchedulePaused } from '../../schedules/changes.ts'
import type { AppEnv, ConsoleEnv, Ctx } from '../env.ts'
import { groupFor, groupsFor, needs, refuse } from '../guard.ts'
import { auditList, csrfField, fieldError, groupName, groupSelect, href, invalid, page, when, type Fragment } from '../layout.ts'

/** What the add form holds, as typed. */
interface AddForm {
  group?: string
  when: string
  text: string
}

/** The add form after a preview or a refusal: errors by field, or the preview to show. */
interface FormState {
  values: AddForm
  errors: Record<string, string>
  preview?: { times: number[]; text: string; label: string }
}

const MAX_TEXT_CHARS = 2000

/** Check the add form; every problem goes next to its field, in Chinese. */
function checkAdd(c: Ctx, env: ConsoleEnv, f: AddForm): { errors: Record<string, string>; group?: GroupConfig; parsed?: { cron: string; label: string } } {
  const errors: Record<string, string> = {}
  const group = groupFor(c, env, 'schedule', f.group)
  if (!group) errors.group = '请选择你担任书记的学习群'
  const parsed = parseTimePhrase(f.when)
  if (!f.when.trim()) errors.when = '请填写发送时间'
  else if (!parsed) errors.when = '没看懂这个时间。可以写：每天 07:30、工作日 08:00、每周一 09:00、每月1日 09:00，或 cron 表达式（如 0 9 * * 1）'
  else if (parsed.rest) errors.when = `时间一栏只填时间；“${parsed.rest}”请写在内容里`
  else if (firesTooOften(env.deps, parsed.cron)) errors.when = `群里的定时通知间隔不能少于 ${env.deps.config.minScheduleIntervalMinutes} 分钟，请换一个时间`
  else if (!nextFireTimes(parsed.cron, env.deps.config.timezone, env.deps.clock.now(), 1).length) errors.when = '这个时间以后不会再到来，请换一个时间'
  const text = f.text.trim()
  if (!text) errors.text = '请填写要发送的内容'
  else if (text.length > MAX_TEXT_CHARS) errors.text = `内容不能超过 ${MAX_TEXT_CHARS} 字（现在 ${text.length} 字）`
  return { errors, group, parsed: parsed && !errors.when ? parsed : undefined }
}

function addForm(c: Ctx, env: ConsoleEnv, s: FormState): Fragment {
  const { values: v, errors: e } = s
  return html`<section class="card" id="add"><h2>添加定时任务</h2>
<form method="post" action="${href(env, '/schedules/add')}" class="stack" novalidate>${csrfField(c)}
<label for="group">发往</label>${groupSelect('group', groupsFor(c, env, 'schedule'), v.group)}${fieldError(e, 'group')}
<label for="when">时间（北京时间）</label>
<input type="text" id="when" name="when" value="${v.when}" placeholder="每周一 09:00"${invalid(e, 'when')}>
<p class="muted">与群里 #定时 的写法相同：每天 07:30、工作日 08:00、每周一 09:00、每月1日 09:00、下午3点半，或 cron 表达式。</p>
${fieldError(e, 'when')}
<label for="text">发送内容</label>
<textarea id="text" name="text"${invalid(e, 'text')}>${v.text}</textarea>${fieldError(e, 'text')}
<p class="actions"><button type="submit" name="intent" value="preview">预览</button> <button type="submit" name="intent" value="add" class="primary">添加</button></p>
</form>
${s.preview ? html`<div class="preview-box" aria-label="预览"><h3>预览：${s.preview.label}</h3>
<p>接下来三次：</p><ul class="plain next-times">${s.preview.times.map((t) => html`<li>${formatFireTime(t, env.deps.config.timezone)}</li>`)}</ul>
<p>将发送：</p><div class="preview">${s.preview.text}</div></div>` : ''}
</section>`
}

function row(c: Ctx, env: ConsoleEnv, r: ScheduleRow): Fragment {
  const { def } = r
  const tz = env.deps.config.timezone
  const canChange = targetGroups(env.deps.config, def).every((g) => groupFor(c, env, 'schedule', g.key))
  const action = (verb: string, label: string, o: { danger?: boolean; confirm?: string } = {}) => html`<form class="inline" method="post" action="${href(env, `/schedules/${encodeURIComponent(def.id)}/${verb}`)}"${o.confirm ? html` data-confirm="${o.confirm}"` : ''}>${csrfField(c)}<button type="submit"${o.danger ? html` class="danger"` : ''}>${label}</button></form>`
  return html`<tr data-id="${def.id}">
<td><a href="${href(env, `/schedules/${encodeURIComponent(def.id)}`)}">${def.id}</a>${def.source === 'config' ? html`<br><span class="muted">配置文件</span>` : ''}</td>
<td>${kindName(def.kind)}</td>
<td>${def.label ?? def.cron}</td>
<td>${def.group === '*' ? '所有学习群' : targetGroups(env.deps.config, def).map(groupName).join('、')}</td>
<td>${def.kind === 'study-plan' ? `材料 ${def.doc ?? ''}` : clip(def.text ?? '', 40)}</td>
<td>${r.paused ? html`<span class="warn">已暂停</span>` : r.next !== undefined ? formatFireTime(r.next, tz) : '无'}</td>
<td>${formatOutcome(r.last, tz)}</td>
<td class="actions">${canChange ? html`${r.paused ? action('resume', '恢复') : action('pause', '暂停')}${def.source === 'chat' ? action('delete', '删除', { danger: true, confirm: `确定删除定时任务 ${def.id}？` }) : ''}` : ''}${action('run', '立即执行', { confirm: `现在就在群里发送任务 ${def.id}？` })}</td>
</tr>`
}

async function visibleRows(c: Ctx, env: ConsoleEnv): Promise<ScheduleRow[]> {
  const allowed = new Set(groupsFor(c, env, 'schedule').map((g) => g.key))
  const { config, clock } = env.deps
  const rows = await scheduleOverview(config, storeOf(env), clock.now())
  return rows.filter((r) => targetGroups(config, r.def).some((g) => allowed.has(g.key)))
}

const storeOf = (env: ConsoleEnv) => env.deps.stores.schedules

const notices: Record<string, string> = {
  added: '已添加定时任务', paused: '已暂停定时任务', resumed: '已恢复定时任务', deleted: '已删除定时任务', ran: '已执行定时任务',
}

async function listPage(c: Ctx, env: ConsoleEnv, form: FormState, status: 200 | 400 = 200, notice?: string) {
  const rows = await visibleRows(c, env)
  const audit = await env.deps.stores.audit.recent('schedules', { groups: groupsFor(c, env, 'schedule').map((g) => g.key) })
  return page(c, env, {
    title: '定时任务', status, notice,
    body: html`<div class="card scroll"><table class="schedules">
<thead><tr><th>ID</th><th>类型</th><th>时间</th><th>发往</th><th>内容</th><th>下次</th><th>上次结果</th><th>操作</th></tr></thead>
<tbody>${rows.length ? rows.map((r) => row(c, env, r)) : html`<tr><td colspan="8" class="muted">还没有定时任务。</td></tr>`}</tbody>
</table><p class="muted">更改会立即通知所有正在运行的机器人实例，与在群里发送 #定时 的效果相同。</p></div>
${addForm(c, env, form)}
${auditList(env, audit)}`,
  })
}

/** A schedule the person may see (it sends to one of their groups), else undefined. */
async function findVisible(c: Ctx, env: ConsoleEnv, id: string): Promise<ScheduleDef | undefined> {
  const def = (await allSchedules(env.deps.config, storeOf(env))).find((d) => d.id === id)
  return def && targetGroups(env.deps.config, def).some((g) => groupFor(c, env, 'schedule', g.key)) ? def : undefined
}

/** 定时任务: list, add with preview, pause / resume / delete / run now, firing history; all audited. */
export function mountSchedules(app: Hono<AppEnv>, env: ConsoleEnv): void {
  const empty = (c: Ctx): FormState => ({ values: { group: groupsFor(c, env, 'schedule')[0]?.key, when: '', text: '' }, errors: {} })
  const who = (c: Ctx) => c.get('session').who

  app.get('/schedules', needs(env, 'schedule'), async (c) => {
    const done = c.req.query('done')
    const id = c.req.query('id')
    return listPage(c, env, empty(c), 200, done && notices[done] ? `${notices[done]}${id ? ` ${id}` : ''}。` : undefined)
  })

  app.post('/schedules/add', needs(env, 'schedule'), async (c) => {
    const body = await c.req.parseBody()
    const values: AddForm = { group: String(body.group ?? ''), when: String(body.when ?? ''), text: String(body.text ?? '') }
    const { errors, group, parsed } = checkAdd(c, env, values)
    if (Object.keys(errors).length || !group || !parsed) return listPage(c, env, { values, errors }, 400)
    const { config, clock } = env.deps
    if (body.intent === 'preview') {
      const times = nextFireTimes(parsed.cron, config.timezone, clock.now(), 3)
      const draft = { group: group.key, cron: parsed.cron, kind: 'text', text: values.text.trim() } as ScheduleDef
      const text = await previewContent(env.deps, draft, group, times[0])
      return listPage(c, env, { values, errors, preview: { times, text, label: parsed.label } })
    }
    const def = await addTextSchedule(env.deps, group, { cron: parsed.cron, label: parsed.label, text: values.text.trim() }, who(c).name)
    await env.deps.stores.audit.record({ area: 'schedules', groups: [group.key], who: who(c), subject: def.id, action: `添加定时任务 ${def.id}（${parsed.label}）：${clip(def.text ?? '', 40)}` })
    return c.redirect(href(env, '/schedules', { done: 'added', id: def.id }), 303)
  })

  app.get('/schedules/:id', needs(env, 'schedule'), async (c) => {
    const def = await findVisible(c, env, c.req.param('id'))
    if (!def) return c.notFound()
    const groups = targetGroups(env.deps.config, def).filter((g) => groupFor(c, env, 'schedule', g.key))
    const store = storeOf(env)
    const history = (await Promise.all(groups.map((g) => store.firings(g.key, def.id, 30)))).flat().sort((a, b) => b.at - a.at)
    const tz = env.deps.config.timezone
    const times = nextFireTimes(def.cron, tz, env.deps.clock.now(), 3)
    const audit = await env.deps.stores.audit.recent('schedules', { groups: groups.map((g) => g.key), subject: def.id })
    return page(c, env, {
      title: '定时任务',
      body: html`<p><a href="${href(env, '/schedules')}">← 全部定时任务</a></p>
<section class="card"><h2>${def.id}【${kindName(def.kind)}】</h2>
<p>时间：${def.label ?? def.cron} · 发往：${def.group === '*' ? '所有学习群' : groups.map(groupName).join('、')}${def.createdBy ? html` · 添加人：${def.createdBy}` : ''}</p>
${def.text ? html`<div class="preview">${def.text}</div>` : ''}
<p>接下来三次：${times.map((t) => formatFireTime(t, tz)).join('、') || '无'}</p></section>
<section class="card scroll"><h2>执行记录</h2>
<table class="history"><thead><tr><th>时间</th><th>群</th><th>结果</th></tr></thead><tbody>
${history.length ? history.map((f) => html`<tr><td>${when(env, f.at)}</td><td>${groupName(env.deps.config.groups.find((g) => g.key === f.group) ?? { key: f.group } as GroupConfig)}</td><td>${formatOutcome(f, tz)}</td></tr>`) : html`<tr><td colspan="3" class="muted">还没有执行过。</td></tr>`}
</tbody></table></section>
${auditList(env, audit)}`,
    })
  })

  const change = (verb: 'pause' | 'resume' | 'delete' | 'run') => async (c: Ctx) => {
    const def = await findVisible(c, env, c.req.param('id') ?? '')
    if (!def) return c.notFound()
    const targets = targetGroups(env.deps.config, def)
    const mine = targets.filter((g) => groupFor(c, env, 'schedule', g.key))
    // a schedule that reaches other groups is changed only by someone who is secretary in all of them
    if (verb !== 'run' && mine.length < targets.length) return refuse(c, env, 'schedule', '定时任务')
    let action: string
    if (verb === 'pause' || verb === 'resume') {
      await setSchedulePaused(env.deps, def.id, verb === 'pause')
      action = `${verb === 'pause' ? '暂停' : '恢复'}定时任务 ${def.id}`
    } else if (verb === 'delete') {
      if (def.source === 'config') return listPage(c, env, empty(c), 400, `任务 ${def.id} 写在配置文件中，不能在后台删除；可以暂停。`)
      await deleteChatSchedule(env.deps, def.id)
      action = `删除定时任务 ${def.id}（${def.label ?? def.cron}）`
    } else {
      const outcomes = await Promise.all(mine.map((g) => runScheduleNow(env.deps, env.messenger, def, g)))
      action = `立即执行定时任务 ${def.id}：${outcomes.map((f) => formatOutcome(f, env.deps.config.timezone)).join('；')}`
    }
    await env.deps.stores.audit.record({ area: 'schedules', groups: mine.map((g) => g.key), who: who(c), subject: def.id, action })
    const done = { pause: 'paused', resume: 'resumed', delete: 'deleted', run: 'ran' }[verb]
    return c.redirect(href(env, '/schedules', { done, id: def.id }), 303)
  }
  for (const verb of ['pause', 'resume', 'delete', 'run'] as const) app.post(`/schedules/:id/${verb}`, needs(env, 'schedule'), change(verb))
}
