import type { Hono } from 'hono'
import { html } from 'hono/html'
import type { GroupConfig } from '../../config.ts'
import { KEPT_QUESTIONS, type LoggedQuestion } from '../../store/question-log.ts'
import type { TaughtAnswer } from '../../store/taught-answers.ts'
import { MAX_ANSWER, MAX_QUESTION, resolveAnswer } from '../../taught/teach.ts'
import { unansweredQuestions, type UnansweredQuestion } from '../../taught/unanswered.ts'
import { clip } from '../../schedules/overview.ts'
import type { AppEnv, ConsoleEnv, Ctx } from '../env.ts'
import { groupFor, groupsFor, needs, refuse } from '../guard.ts'
import { auditList, csrfField, fieldError, groupSelect, href, invalid, page, when, type Fragment } from '../layout.ts'
import { questionsChart } from '../questions-chart.ts'

/** Recent questions listed. */
const RECENT_SHOWN = 50

const sourceNames: Record<LoggedQuestion['source'], string> = { taught: '教过的问答', faq: '常见问题', materials: '学习材料', none: '—' }

/** The teach form as typed, with problems by field. */
interface TeachForm {
  question: string
  answer: string
  errors: Record<string, string>
}

function recentTable(env: ConsoleEnv, rows: readonly LoggedQuestion[]): Fragment {
  return html`<table class="questions"><thead><tr><th>时间</th><th>成员</th><th>问题</th><th>结果</th><th>来源与出处</th><th>回答</th></tr></thead>
<tbody>${rows.length ? rows.map((q) => html`<tr><td class="time">${when(env, q.at)}</td><td>${q.memberName ?? q.memberId}</td><td class="text">${q.question}</td>
<td>${q.answered ? html`<span class="ok">已回答</span>` : html`<span class="bad">未答上</span>`}</td>
<td>${sourceNames[q.source]}${q.citation ? html`<br><span class="citation">${q.citation}</span>` : ''}</td><td class="text">${q.answer}</td></tr>`)
    : html`<tr><td colspan="6" class="muted">还没有人向机器人提问。</td></tr>`}</tbody></table>`
}

function unansweredTable(env: ConsoleEnv, group: GroupConfig, rows: readonly UnansweredQuestion[], canTeach: boolean): Fragment {
  return html`<table class="unanswered"><thead><tr><th>问题</th><th>未答上</th><th>被指出不对</th><th>最近</th>${canTeach ? html`<th>操作</th>` : ''}</tr></thead>
<tbody>${rows.length ? rows.map((r) => html`<tr><td class="text">${r.question}</td><td>${r.refused}</td><td>${r.marked}</td><td>${when(env, r.lastAt)}</td>${canTeach
      ? html`<td><a class="button" href="${href(env, '/answers', { group: group.key, q: r.question })}#teach">教它回答</a></td>` : ''}</tr>`)
    : html`<tr><td colspan="5" class="muted">最近没有未答上或被指出答得不对的问题。</td></tr>`}</tbody></table>`
}

function taughtTable(c: Ctx, env: ConsoleEnv, group: GroupConfig, entries: readonly TaughtAnswer[], canTeach: boolean): Fragment {
  const del = (e: TaughtAnswer) => html`<form class="inline" method="post" action="${href(env, '/answers/delete')}" data-confirm="确定删除第 ${e.id} 条问答？">${csrfField(c)}<input type="hidden" name="group" value="${group.key}"><input type="hidden" name="id" value="${e.id}"><button type="submit" class="danger">删除</button></form>`
  return html`<table class="taught"><thead><tr><th>编号</th><th>问题</th><th>答案</th><th>出处</th><th>添加</th>${canTeach ? html`<th>操作</th>` : ''}</tr></thead>
<tbody>${entries.length ? entries.map((e) => html`<tr data-id="${e.id}"><td>${e.id}</td><td class="text">${e.question}</td><td class="text">${e.answer}</td><td>${e.citation ?? '（自己的话）'}</td><td>${e.by.name}<br><span class="muted">${when(env, e.at)}</span></td>${canTeach ? html`<td>${del(e)}</td>` : ''}</tr>`)
    : html`<tr><td colspan="6" class="muted">还没有教过的问答。</td></tr>`}</tbody></table>`
}

function teachForm(c: Ctx, env: ConsoleEnv, group: GroupConfig, f: TeachForm): Fragment {
  const e = f.errors
  return html`<form method="post" action="${href(env, '/answers/teach')}" class="stack" id="teach" novalidate>${csrfField(c)}<input type="hidden" name="group" value="${group.key}">
<label for="question">问题</label>
<input type="text" id="question" name="question" value="${f.question}" placeholder="入党积极分子要培养多久？"${invalid(e, 'question')}>${fieldError(e, 'question')}
<label for="answer">答案</label>
<textarea id="answer" name="answer"${invalid(e, 'answer')}>${f.answer}</textarea>${fieldError(e, 'answer')}
<p class="muted">写自己的话，或写学习材料里的条文，如“党章第七条”“《中国共产党章程》第五条”（回答时注明出处）。与群里 #教 相同，以后有人问这个问题或意思相近的问题，机器人先用这里的答案回答。</p>
<p><button type="submit" class="primary">添加</button></p>
</form>`
}

async function answersPage(c: Ctx, env: ConsoleEnv, group: GroupConfig, o: { form?: TeachForm; notice?: string; status?: 200 | 400 } = {}) {
  const { stores } = env.deps
  const [log, refused, marks, taught, audit] = await Promise.all([
    stores.questionLog.recent(group.key, KEPT_QUESTIONS),
    stores.questionLog.refused(group.key, KEPT_QUESTIONS),
    stores.answerMarks.recent(group.key, KEPT_QUESTIONS),
    stores.taught.list(group.key),
    stores.audit.recent('answers', { groups: [group.key] }),
  ])
  const canTeach = Boolean(groupFor(c, env, 'teach', group.key))
  const form = o.form ?? { question: c.req.query('q') ?? '', answer: '', errors: {} }
  return page(c, env, {
    title: '问答', notice: o.notice, status: o.status,
    body: html`<form method="get" action="${href(env, '/answers')}" class="filters"><label>学习群 ${groupSelect('group', groupsFor(c, env, 'console'), group.key)}</label><button type="submit">查看</button></form>
<section class="card" aria-label="提问统计"><h2>提问统计</h2>${questionsChart(env, group, log)}</section>
<section class="card scroll" aria-label="未答上的问题"><h2>未答上或被指出不对的问题</h2>
<p class="muted">机器人没能回答的问题，和成员回复“不对”“答非所问”或点了“不准确”的回答，相同的问题合并计数。</p>
${unansweredTable(env, group, unansweredQuestions(refused, marks), canTeach)}</section>
<section class="card scroll" aria-label="教过的问答"><h2>教过的问答（${taught.length}）</h2>
${taughtTable(c, env, group, taught, canTeach)}
${canTeach ? html`<h3>添加问答</h3>${teachForm(c, env, group, form)}` : html`<p class="muted">添加和删除由书记操作。</p>`}</section>
<section class="card scroll" aria-label="最近的提问"><h2>最近的提问</h2>${recentTable(env, log.slice(0, RECENT_SHOWN))}</section>
${auditList(env, audit)}`,
  })
}

/** 问答: questions per day and the share answered, the unanswered list, recent questions, and taught answers (#教) to add or delete. */
export function mountAnswers(app: Hono<AppEnv>, env: ConsoleEnv): void {
  const who = (c: Ctx) => c.get('session').who

  app.get('/answers', needs(env, 'console'), async (c) => {
    const group = groupFor(c, env, 'console', c.req.query('group')) ?? groupsFor(c, env, 'console')[0]
    const added = c.req.query('added')
    const gone = c.req.query('deleted')
    return answersPage(c, env, group, { notice: added ? `已添加第 ${added} 条问答。` : gone ? `已删除第 ${gone} 条问答。` : undefined })
  })

  app.post('/answers/teach', async (c) => {
    const body = await c.req.parseBody()
    const group = groupFor(c, env, 'teach', body.group)
    if (!group) return refuse(c, env, 'teach', '问答')
    const form: TeachForm = { question: String(body.question ?? ''), answer: String(body.answer ?? ''), errors: {} }
    const question = form.question.trim()
    const answer = form.answer.trim()
    if (!question) form.errors.question = '请填写问题'
    else if (question.length > MAX_QUESTION) form.errors.question = `问题不能超过 ${MAX_QUESTION} 字（现在 ${question.length} 字）`
    if (!answer) form.errors.answer = '请填写答案，或写“党章第七条”这样的条文'
    else if (answer.length > MAX_ANSWER) form.errors.answer = `答案不能超过 ${MAX_ANSWER} 字（现在 ${answer.length} 字），可以改为引用条文，如“党章第七条”`
    const resolved = form.errors.answer ? undefined : await resolveAnswer(env.deps.library, answer, group.materials)
    if (resolved && 'problem' in resolved) form.errors.answer = resolved.problem
    if (Object.keys(form.errors).length || !resolved || 'problem' in resolved) return answersPage(c, env, group, { form, status: 400 })
    const entry = await env.deps.stores.taught.add(group.key, {
      question, answer: resolved.answer,
      ...(resolved.kind === 'passage' ? { citation: resolved.citation, doc: resolved.doc } : {}),
      by: who(c),
    })
    await env.deps.stores.audit.record({ area: 'answers', groups: [group.key], who: who(c), subject: String(entry.id), action: `添加第 ${entry.id} 条问答：${clip(question, 30)}${entry.citation ? `（${entry.citation}）` : ''}` })
    return c.redirect(href(env, '/answers', { group: group.key, added: String(entry.id) }), 303)
  })

  app.post('/answers/delete', async (c) => {
    const body = await c.req.parseBody()
    const group = groupFor(c, env, 'teach', body.group)
    if (!group) return refuse(c, env, 'teach', '问答')
    const id = /^\d{1,9}$/.test(String(body.id ?? '')) ? Number(body.id) : NaN
    const entry = (await env.deps.stores.taught.list(group.key)).find((e) => e.id === id)
    if (!entry || !await env.deps.stores.taught.remove(group.key, id)) {
      return answersPage(c, env, group, { notice: '没有这条问答，可能已被删除。', status: 400 })
    }
    await env.deps.stores.audit.record({ area: 'answers', groups: [group.key], who: who(c), subject: String(id), action: `删除第 ${id} 条问答：${clip(entry.question, 30)}` })
    return c.redirect(href(env, '/answers', { group: group.key, deleted: String(id) }), 303)
  })
}
