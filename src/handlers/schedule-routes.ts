import type { Handler } from '../bot/context.ts'
import { manageSchedules } from './manage-schedules.ts'

/** Handlers for scheduled prompts, in order; the lead adds them to src/bot/routes.ts. */
export const scheduleRoutes: Handler[] = [
  manageSchedules, // #定时 添加|列表|暂停|恢复|删除|立即|预览
]
