import type { Hono } from 'hono'
import { html } from 'hono/html'
import type { GroupConfig } from '../../config.ts'
import { addMaterialFile, MaterialFileError, removeMaterialFile } from '../../materials/material-files.ts'
import type { AppEnv, ConsoleEnv, Ctx } from '../env.ts'
import { groupsFor, needs, refuse } from '../guard.ts'
import { auditList, csrfField, fieldError, groupName, href, invalid, page } from '../layout.ts'

/** Which groups answer from a document: those listing it, and those without a list (all documents). */
function usedBy(groups: readonly GroupConfig[], doc: string): string {
  const users = groups.filter((g) => !g.materials || g.materials.includes(doc))
  return users.length === groups.length ? '所有群' : users.map(groupName).join('、') || '（没有群使用）'
}

async function materialsPage(c: Ctx, env: ConsoleEnv, o: { errors?: Record<string, string>; notice?: string; status?: 200 | 400 | 413 } = {}) {
  const { library, config } = env.deps
  // the bot's library loads on first need (src/materials/deferred-library.ts)
  await library.ready()
  const docs = library.documents()
  const skipped = library.skipped?.() ?? []
  const canChange = groupsFor(c, env, 'materials').length > 0
  const errors = o.errors ?? {}
  const del = (doc: string) => html`<form class="inline" method="post" action="${href(env, '/materials/delete')}" data-confirm="确定删除“${doc}”？删除后机器人不再用它回答。">${csrfField(c)}<input type="hidden" name="doc" value="${doc}"><button type="submit" class="danger">删除</button></form>`
  const audit = await env.deps.stores.audit.recent('materials')
  return page(c, env, {
    title: '学习材料', notice: o.notice, status: o.status,
    body: html`<section class="card scroll"><h2>文档（${docs.length}）</h2>
<table class="documents"><thead><tr><th>文件</th><th>标题</th><th>段落数</th><th>用于</th>${canChange ? html`<th>操作</th>` : ''}</tr></thead>
<tbody>${docs.length ? docs.map((d) => html`<tr data-doc="${d.doc}"><td>${d.doc}</td><td>${d.title}</td><td>${d.passages}</td><td>${usedBy(config.groups, d.doc)}</td>${canChange ? html`<td>${del(d.doc)}</td>` : ''}</tr>`)
    : html`<tr><td colspan="5" class="muted">学习材料目录中还没有可读的文档。</td></tr>`}</tbody></table></section>
${skipped.length ? html`<section class="card scroll"><h2>无法读取的文件（${skipped.length}）</h2>
<table class="skipped"><thead><tr><th>文件</th><th>原因</th>${canChange ? html`<th>操作</th>` : ''}</tr></thead>
<tbody>${skipped.map((s) => html`<tr data-doc="${s.doc}"><td>${s.doc}</td><td>${s.reason}</td>${canChange ? html`<td>${del(s.doc)}</td>` : ''}</tr>`)}</tbody></table></section>` : ''}
${canChange ? html`<section class="card"><h2>上传材料</h2>
<form method="post" action="${href(env, '/materials/upload')}" enctype="multipart/form-data" class="stack" novalidate>${csrfField(c)}
<label for="file">文件（.docx、.pdf、.md、.txt，不超过 ${config.console.maxUploadMB} MB）</label>
<input type="file" id="file" name="file" accept=".docx,.pdf,.md,.txt"${invalid(errors, 'file')}>${fieldError(errors, 'file')}
<p class="muted">文件类型按内容检查，不看扩展名。上传后几秒内机器人会自动读取，之后的回答即可引用。</p>
<p><button type="submit" class="primary">上传</button></p>
</form></section>` : ''}
${auditList(env, audit)}`,
  })
}

/** The answer to an upload over the size limit (from the body-limit middleware), next to the file field. */
export function uploadTooLarge(c: Ctx, env: ConsoleEnv) {
  return materialsPage(c, env, { errors: { file: `文件太大：不能超过 ${env.deps.config.console.maxUploadMB} MB` }, status: 413 })
}

/** 学习材料: documents and passage counts, unreadable files with the reason, upload and delete (secretaries). */
export function mountMaterials(app: Hono<AppEnv>, env: ConsoleEnv): void {
  const dir = env.deps.config.materials
  const who = (c: Ctx) => c.get('session').who

  app.get('/materials', needs(env, 'console'), async (c) => {
    const up = c.req.query('uploaded')
    const gone = c.req.query('deleted')
    return materialsPage(c, env, {
      notice: up ? `已上传“${up}”，几秒内机器人会自动读取。` : gone ? `已删除“${gone}”。` : undefined,
    })
  })

  app.post('/materials/upload', async (c) => {
    if (!groupsFor(c, env, 'materials').length) return refuse(c, env, 'materials', '学习材料')
    const body = await c.req.parseBody()
    const file = body.file
    if (!(file instanceof File) || !file.name) return materialsPage(c, env, { errors: { file: '请选择要上传的文件' }, status: 400 })
    if (file.size > env.deps.config.console.maxUploadMB * 1024 * 1024) return uploadTooLarge(c, env)
    let name: string
    try {
      name = await addMaterialFile(dir, file.name, new Uint8Array(await file.arrayBuffer()))
    } catch (err) {
      if (err instanceof MaterialFileError) return materialsPage(c, env, { errors: { file: err.message }, status: 400 })
      throw err
    }
    await env.deps.stores.audit.record({ area: 'materials', who: who(c), subject: name, action: `上传“${name}”（${Math.ceil(file.size / 1024)} KB）` })
    return c.redirect(href(env, '/materials', { uploaded: name }), 303)
  })

  app.post('/materials/delete', async (c) => {
    if (!groupsFor(c, env, 'materials').length) return refuse(c, env, 'materials', '学习材料')
    const doc = String((await c.req.parseBody()).doc ?? '')
    try {
      await removeMaterialFile(dir, doc)
    } catch (err) {
      if (err instanceof MaterialFileError) return materialsPage(c, env, { notice: err.message, status: 400 })
      throw err
    }
    await env.deps.stores.audit.record({ area: 'materials', who: who(c), subject: doc, action: `删除“${doc}”` })
    return c.redirect(href(env, '/materials', { deleted: doc }), 303)
  })
}
