import type { Hono, MiddlewareHandler } from 'hono'
import { html } from 'hono/html'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { sameSecret, SESSION_TTL_MS } from './access.ts'
import type { AppEnv, ConsoleEnv, Ctx } from './env.ts'
import { barePage, href } from './layout.ts'

/** Name of the session cookie (HttpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'studybot_console'

/** The Chinese explanation of how to get a login link. */
function howToLogin(env: ConsoleEnv) {
  const bot = env.deps.config.bot.name
  return html`<div class="card">
<p>网页后台供<strong>书记</strong>和<strong>组织委员</strong>使用，不需要密码。</p>
<ol>
  <li>在微信或企业微信里<strong>私聊</strong>“${bot}”，发送 <code>#后台</code>。</li>
  <li>${bot}会回复一条登录链接：<strong>10 分钟内有效，只能使用一次</strong>。</li>
  <li>打开链接，点击“进入后台”。登录后 12 小时内有效，用完请点“退出登录”。</li>
</ol>
<p class="muted">普通成员没有后台。服务器管理员也可以运行 <code>studybot console-link --as 姓名</code> 生成登录链接。</p>
</div>`
}

const refused = {
  used: '这个登录链接已经失效：链接只能使用一次，并且 10 分钟内有效。',
  expired: '登录已过期或无效，请重新获取登录链接。',
}

/** /login (explains, or shows whose link it is) and /logout. */
export function mountAuth(app: Hono<AppEnv>, env: ConsoleEnv): void {
  app.get('/login', async (c) => {
    const token = c.req.query('t')
    if (token === undefined) {
      const bye = c.req.query('bye') !== undefined
      const reason = c.req.query('expired') !== undefined ? refused.expired : undefined
      return barePage(c, env, {
        title: '登录网页后台',
        body: html`${bye ? html`<div class="notice" role="status">已退出登录。</div>` : ''}${reason ? html`<div class="alert" role="alert">${reason}</div>` : ''}${howToLogin(env)}`,
      })
    }
    // a GET never uses the link: chat apps and link scanners open links before people do
    const link = await env.deps.stores.consoleSessions.peekLink(token)
    if (!link) return barePage(c, env, { title: '登录网页后台', status: 400, body: html`<div class="alert" role="alert">${refused.used}</div>${howToLogin(env)}` })
    return barePage(c, env, {
      title: '登录网页后台',
      body: html`<div class="card">
<p>你好，${link.who.name}。点击下面的按钮进入后台（此链接只能使用一次）。</p>
<form method="post" action="${href(env, '/login')}"><input type="hidden" name="t" value="${token}"><button class="primary" type="submit">进入后台</button></form>
</div>`,
    })
  })

  app.post('/login', async (c) => {
    const body = await c.req.parseBody()
    const opened = typeof body.t === 'string' ? await env.deps.stores.consoleSessions.redeemLink(body.t) : undefined
    if (!opened) return barePage(c, env, { title: '登录网页后台', status: 400, body: html`<div class="alert" role="alert">${refused.used}</div>${howToLogin(env)}` })
    setCookie(c, SESSION_COOKIE, opened.token, {
      httpOnly: true, sameSite: 'Strict', secure: env.secureCookie, path: env.base || '/', maxAge: SESSION_TTL_MS / 1000,
    })
    env.deps.log.info({ who: opened.session.who.name, via: opened.session.via }, 'console login')
    return c.redirect(href(env, '/'), 303)
  })

  app.post('/logout', requireSession(env), requireCsrf(env), async (c) => {
    await env.deps.stores.consoleSessions.end(c.get('sessionToken'))
    deleteCookie(c, SESSION_COOKIE, { path: env.base || '/', secure: env.secureCookie })
    return c.redirect(href(env, '/login', { bye: '1' }), 303)
  })
}

/** Every page past the login: a live session from the cookie, or off to the login page. */
export function requireSession(env: ConsoleEnv): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE)
    const session = await env.deps.stores.consoleSessions.session(token)
    if (!session) {
      if (token !== undefined) deleteCookie(c, SESSION_COOKIE, { path: env.base || '/', secure: env.secureCookie })
      if (c.req.method === 'GET') return c.redirect(href(env, '/login', token !== undefined ? { expired: '1' } : {}), 303)
      return barePage(c as Ctx, env, { title: '请先登录', status: 401, body: html`<div class="alert" role="alert">${refused.expired}</div>${howToLogin(env)}` })
    }
    c.set('session', session)
    c.set('sessionToken', token!)
    await next()
  }
}

/** Every POST must carry the session's CSRF token in `_csrf`. */
export function requireCsrf(env: ConsoleEnv): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next()
    const body = await c.req.parseBody()
    if (!sameSecret(typeof body._csrf === 'string' ? body._csrf : undefined, c.get('session').csrf)) {
      env.deps.log.warn({ path: c.req.path, who: c.get('session').who.name }, 'console csrf refused')
      return barePage(c, env, {
        title: '操作未完成', status: 403,
        body: html`<div class="alert" role="alert">页面已过期或来源不明，操作没有执行。请回到后台刷新页面后重试。</div><p><a href="${href(env, '/')}">返回概览</a></p>`,
      })
    }
    await next()
  }
}
