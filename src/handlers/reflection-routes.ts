import type { Handler } from '../bot/context.ts'
import { editReflection } from './edit-reflection.ts'
import { exportReflections } from './export-reflections.ts'
import { listMyReflections } from './list-my-reflections.ts'
import { remindMissingMembers } from './remind-missing.ts'
import { showParticipation } from './show-participation.ts'
import { submitReflection } from './submit-reflection.ts'
import { withdrawReflection } from './withdraw-reflection.ts'

/** The reflection commands, in the order they run (each passes on what is not its command). */
export const reflectionRoutes: readonly Handler[] = [
  submitReflection,       // #心得 内容
  editReflection,         // #修改心得 内容
  withdrawReflection,     // #撤回心得
  listMyReflections,      // #我的心得
  showParticipation,      // #统计 [任务ID]
  remindMissingMembers,   // #提醒
  exportReflections,      // #导出 [本月 | 日期 日期]
]
