import { Hono } from 'hono'
import { html } from 'hono/html'
import { secureHeaders } from 'hono/secure-headers'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv, ConsoleEnv, Ctx } from './env.ts'
import { mountAuth, requireCsrf, requireSession } from './auth.ts'
import { barePage, href } from './layout.ts'
import { mountOverview } from './pages/overview.ts'
import { mountSchedules } from './pages/schedules.ts'
import { mountReflections } from './pages/reflections.ts'
import { mountParticipation } from './pages/participation.ts'
import { mountMaterials, uploadTooLarge } from './pages/materials.ts'
import { mountAnswers } from './pages/answers.ts'

/** The console as a Hono app: assets, login, then every page behind a session and CSRF check. */
export function createConsoleApp(env: ConsoleEnv): Hono<AppEnv> {
  // not strict: /studybot and /studybot/ are the same page behind a path prefix
  const root = new Hono<AppEnv>({ strict: false })
  const app = env.base ? root.basePath(env.base) : root

  app.use(secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'],
      formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"],
    },
    // login links carry a token: never hand the address to another site
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: env.secureCookie ? 'max-age=15552000' : false,
  }))

  app.get('/assets/:hash/:name', (c) => {
    const asset = env.assets[c.req.param('name')]
    if (!asset) return c.notFound()
    return c.body(new Uint8Array(asset.body), 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable' })
  })

  mountAuth(app, env)

  app.use('*', requireSession(env))
  app.use('*', async (c, next) => {
    await next()
    // pages show members' names and texts: nothing is kept in shared caches
    c.header('cache-control', 'no-store')
  })
  app.use('*', bodyLimit({ maxSize: env.deps.config.console.maxUploadMB * 1024 * 1024, onError: (c) => uploadTooLarge(c as Ctx, env) }))
  app.use('*', requireCsrf(env))

  mountOverview(app, env)
  mountSchedules(app, env)
  mountReflections(app, env)
  mountParticipation(app, env)
  mountMaterials(app, env)
  mountAnswers(app, env)

  app.notFound((c) => barePage(c as Ctx, env, {
    title: '页面不存在', status: 404, body: html`<p>没有这个页面。<a href="${href(env, '/')}">返回概览</a></p>`,
  }))
  // the console's one catch site: log with the request, show a short Chinese page
  app.onError((err, c) => {
    env.deps.log.error({ err, method: c.req.method, path: c.req.path }, 'console request failed')
    return barePage(c as Ctx, env, {
      title: '出错了', status: 500, body: html`<div class="alert" role="alert">抱歉，处理这个页面时出了问题，请稍后再试。</div><p><a href="${href(env, '/')}">返回概览</a></p>`,
    })
  })
  return app
}
