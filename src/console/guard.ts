import type { MiddlewareHandler } from 'hono'
import { html } from 'hono/html'
import type { GroupConfig } from '../config.ts'
import { consoleRefusal, groupsWhere, sessionMay, type ConsoleAction } from './access.ts'
import type { AppEnv, ConsoleEnv, Ctx } from './env.ts'
import { href, page } from './layout.ts'

/** The groups where the logged-in person may do `action`. */
export function groupsFor(c: Ctx, env: ConsoleEnv, action: ConsoleAction): GroupConfig[] {
  return groupsWhere(c.get('session'), action, env.deps.config.groups)
}

/** The group named by `key` if the person may do `action` there; undefined otherwise. */
export function groupFor(c: Ctx, env: ConsoleEnv, action: ConsoleAction, key: unknown): GroupConfig | undefined {
  const g = env.deps.config.groups.find((x) => x.key === key)
  return g && sessionMay(c.get('session'), action, g) ? g : undefined
}

/** The 403 page: the action is not the person's to do. */
export function refuse(c: Ctx, env: ConsoleEnv, action: ConsoleAction, title = '没有权限') {
  env.deps.log.warn({ path: c.req.path, who: c.get('session').who.name, action }, 'console action refused')
  return page(c, env, {
    title, status: 403,
    body: html`<div class="alert" role="alert">${consoleRefusal(action)}</div><p><a href="${href(env, '/')}">返回概览</a></p>`,
  })
}

/** A page or action open only to those who may do `action` in at least one group. */
export function needs(env: ConsoleEnv, action: ConsoleAction): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!groupsFor(c, env, action).length) return refuse(c, env, action)
    await next()
  }
}
