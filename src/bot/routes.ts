import type { Handler } from './context.ts'
import {
  skipOwnMessages, skipNonText, skipOldReplays, skipUnconfiguredRooms, skipNotAddressed, skipOutsiders,
  skipDuplicates, rememberSpeaker, type AdmissionStep,
} from './admission.ts'
import { showHelp, rejectUnknownCommand } from '../handlers/show-help.ts'
import { limitCommands } from '../handlers/limit-commands.ts'
import { submitReflection } from '../handlers/submit-reflection.ts'
import { editReflection } from '../handlers/edit-reflection.ts'
import { withdrawReflection } from '../handlers/withdraw-reflection.ts'
import { listMyReflections } from '../handlers/list-my-reflections.ts'
import { showParticipation } from '../handlers/show-participation.ts'
import { remindMissingMembers } from '../handlers/remind-missing.ts'
import { exportReflections } from '../handlers/export-reflections.ts'
import { manageSchedules } from '../handlers/manage-schedules.ts'
import { askQuestion } from '../handlers/ask-question.ts'
import { openConsole } from '../handlers/open-console.ts'
import { answerQuiz } from '../handlers/answer-quiz.ts'
import { listMyAnswers } from '../handlers/list-my-answers.ts'
import { showLeaderboard, showMyPoints } from '../handlers/show-points.ts'
import { checkIn } from '../handlers/check-in.ts'
import { manageQuiz } from '../handlers/manage-quiz.ts'
import { importLedger, showLedger } from '../handlers/show-ledger.ts'
import { teachAnswer } from '../handlers/teach-answer.ts'
import { showUnanswered } from '../handlers/show-unanswered.ts'
import { markWrongAnswer } from '../handlers/mark-wrong-answer.ts'
import { listMonthBirthdays, recordBirthdayTalk } from '../handlers/political-birthdays.ts'
import { askLeave, signIn } from '../handlers/meeting-sign-in.ts'
import { recordMinutes } from '../handlers/meeting-minutes.ts'
import { confirmDues, showDues } from '../handlers/party-dues.ts'

/** What the bot does not react to, in order; a message that passes every step reaches the routes. */
export const admission: readonly AdmissionStep[] = [
  skipOwnMessages,        // what the bot itself sent
  skipNonText,            // images, files, system notices
  skipOldReplays,         // older than bot.maxMessageAgeSeconds (history replayed at login)
  skipUnconfiguredRooms,  // rooms that are not configured groups
  skipNotAddressed,       // in a group: neither @bot nor a #command
  skipOutsiders,          // privately: someone in none of the configured groups
  skipDuplicates,         // a message id already handled (redelivery, another instance)
  rememberSpeaker,        // (not a filter) who spoke in which group
]

/**
 * Everything the bot reacts to, in order. Each handler either handles the message or passes it
 * on with next().
 */
export const routes: readonly Handler[] = [
  limitCommands,          // (not a command) every #command counts; past the limit: told once, then silence
  showHelp,               // #帮助, @bot 帮助
  submitReflection,       // #心得 内容
  editReflection,         // #修改心得 内容
  withdrawReflection,     // #撤回心得
  listMyReflections,      // #我的心得 (answered privately)
  showParticipation,      // #统计 [任务ID]         secretaries, organizers
  remindMissingMembers,   // #提醒                   secretaries
  exportReflections,      // #导出 [本月 | 日期 日期] organizers, file sent privately
  manageSchedules,        // #定时 添加|列表|暂停|恢复|删除|立即|预览  secretaries
  openConsole,            // #后台: one-time web console link, privately  secretaries, organizers
  answerQuiz,             // #答 B | #答 一年 | #答 2 B   (acknowledged privately)
  listMyAnswers,          // #我的答题 (answered privately)
  showLeaderboard,        // #积分榜                 secretaries, or everyone with quiz.publicLeaderboard
  showMyPoints,           // #积分 (answered privately)
  checkIn,                // #打卡                   when quiz.points.checkin > 0
  manageQuiz,             // #出题 预览|换一题|删除    secretaries, answered privately
  showLedger,             // #台账: the ledger matched to the group's members (privately)  secretaries, organizers
  importLedger,           // #导入台账: says how to import (files are not read from chat)   secretaries, organizers
  teachAnswer,            // #教 问题 => 答案 | 列表 | 删除 N   secretaries
  showUnanswered,         // #未答问题                secretaries
  listMonthBirthdays,     // #本月政治生日 (privately)                     secretaries, organizers
  recordBirthdayTalk,     // #生日谈话 张三 已完成                         secretaries, organizers
  signIn,                 // #签到 (acknowledged privately)
  askLeave,               // #请假 理由 (acknowledged privately)
  recordMinutes,          // #会议记录 内容                               secretaries, organizers
  confirmDues,            // #已交党费 (acknowledged privately)
  showDues,               // #党费情况 (privately)                         secretaries, organizers
  rejectUnknownCommand,   // any other #命令
  markWrongAnswer,        // @bot 不对 / 答非所问 / 没答上: marks the member's last answer
  askQuestion,            // @bot 问题, or a private message: answer from the materials
]
