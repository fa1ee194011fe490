/**
 * Every Redis key the product uses is built here. Keys that belong to one study group carry the
 * group's key in a hash tag (`{...}`) so one group's data lives on one Redis Cluster slot; the
 * global schedule keys share the `{schedules}` tag, so a transaction or pipeline over them (delete
 * a schedule with its state, read every state) stays on one slot too.
 */
export type Keys = ReturnType<typeof createKeys>

/** Build the key factory under a prefix (tests pass a random one). */
export function createKeys(prefix = 'studybot') {
  const group = (g: string) => `${prefix}:{${g}}`
  const schedules = `${prefix}:{schedules}`
  return {
    prefix,
    // pipeline
    handledMessage: (messageId: string) => `${prefix}:handled:${messageId}`,
    /** Written at the first start on a Redis; gone later means Redis came back empty. */
    dataMarker: () => `${prefix}:data-marker`,
    seenMembers: (g: string) => `${group(g)}:seen-members`,
    /** Room id of a group configured by topic, remembered when first seen. */
    groupRoom: (g: string) => `${group(g)}:room-id`,
    /** Contact id -> the display name they last spoke under in the group (for `studybot whois`). */
    seenNames: (g: string) => `${group(g)}:seen-names`,
    askRate: (g: string, memberId: string) => `${group(g)}:rate:ask:${memberId}`,
    /** #commands of one member in the current minute, across groups and the private chat. */
    commandRate: (memberId: string) => `${prefix}:rate:command:${memberId}`,
    llmBudget: (g: string, day: string) => `${group(g)}:llm:budget:${day}`,
    /** The passage a member's last answer came from (for 原文). */
    lastAnswer: (g: string, memberId: string) => `${group(g)}:last-answer:${memberId}`,
    embedding: (model: string, digest: string) => `${prefix}:embedding:${model}:${digest}`,
    /** Answers members marked as wrong (WeCom feedback), newest first. */
    answerMarks: (g: string) => `${group(g)}:answer-marks`,
    /** Question–answer pairs secretaries taught the bot (#教), by number; the next number. */
    taught: (g: string) => `${group(g)}:taught`,
    taughtSeq: (g: string) => `${group(g)}:taught:seq`,
    /** Recent questions asked (answered or refused), newest first; the refused ones alone. */
    askedQuestions: (g: string) => `${group(g)}:questions:asked`,
    refusedQuestions: (g: string) => `${group(g)}:questions:refused`,
    // reflections and assignments
    reflectionLog: (g: string) => `${group(g)}:reflections`,
    /** Before the compact format: one hash per reflection (read once, by the migration). */
    reflection: (g: string, id: string) => `${group(g)}:reflection:${id}`,
    /** Reflection id → its fields as JSON, all but the text. */
    reflectionMeta: (g: string) => `${group(g)}:reflection-meta`,
    /** Reflection id → its text, brotli-compressed. */
    reflectionText: (g: string) => `${group(g)}:reflection-text`,
    /** Set once every legacy reflection hash of the group has been moved to the compact format. */
    reflectionFormat: (g: string) => `${group(g)}:reflection-format`,
    reflectionDigests: (g: string) => `${group(g)}:reflection-digests`,
    memberReflections: (g: string, memberId: string) => `${group(g)}:member:${memberId}:reflections`,
    assignments: (g: string) => `${group(g)}:assignments`,
    assignment: (g: string, id: string) => `${group(g)}:assignment:${id}`,
    submitters: (g: string, assignmentId: string) => `${group(g)}:assignment:${assignmentId}:submitters`,
    // schedules
    chatSchedules: () => `${schedules}:chat`,
    scheduleState: (scheduleId: string) => `${schedules}:state:${scheduleId}`,
    /** One slot's broadcast work list; its keys share a hash tag so its scripts touch one slot. */
    slotWork: (scheduleId: string, slot: number) => {
      const base = `${prefix}:{work:${scheduleId}:${slot}}`
      return { pending: `${base}:pending`, leases: `${base}:leases`, inflight: `${base}:inflight`, done: `${base}:done`, meta: `${base}:meta` }
    },
    firings: (g: string, scheduleId: string) => `${group(g)}:firings:${scheduleId}`,
    studyCursor: (g: string, scheduleId: string) => `${group(g)}:cursor:${scheduleId}`,
    scheduleSeq: () => `${schedules}:seq`,
    /** Where the global schedule keys were before they shared a hash tag (read once, then moved). */
    legacySchedules: { chat: `${prefix}:schedules`, seq: `${prefix}:schedules:seq`, state: (scheduleId: string) => `${prefix}:schedule:${scheduleId}:state` },
    /** Pub/sub channel: chat schedules or pause state changed; every scheduler re-reads them. */
    scheduleChanges: () => `${prefix}:schedules:changed`,
    // web console: links and sessions are named by a token's digest, never the token itself
    consoleLink: (digest: string) => `${prefix}:console:link:${digest}`,
    consoleSession: (digest: string) => `${prefix}:console:session:${digest}`,
    /** Console changes of one area (schedules, reminders, ...) in one group, newest first. */
    audit: (g: string, area: string) => `${group(g)}:audit:${area}`,
    /** Console changes not tied to one group (the shared materials folder). */
    sharedAudit: (area: string) => `${prefix}:audit:${area}`,
    // quizzes
    quizBank: (g: string) => `${group(g)}:quiz:bank`,
    quizBankOrder: (g: string) => `${group(g)}:quiz:bank-order`,
    quizUsed: (g: string) => `${group(g)}:quiz:used`,
    quizBanned: (g: string) => `${group(g)}:quiz:banned`,
    quizRounds: (g: string) => `${group(g)}:quiz:rounds`,
    quizOpen: (g: string) => `${group(g)}:quiz:open`,
    quizCurrent: (g: string) => `${group(g)}:quiz:current`,
    quizRound: (g: string, roundId: string) => `${group(g)}:quiz:round:${roundId}`,
    quizAnswers: (g: string, roundId: string) => `${group(g)}:quiz:round:${roundId}:answers`,
    quizAnswerMessages: (g: string, roundId: string) => `${group(g)}:quiz:round:${roundId}:messages`,
    quizCloseLease: (g: string, roundId: string) => `${group(g)}:quiz:round:${roundId}:closing`,
    // points
    pointsTotal: (g: string) => `${group(g)}:points:total`,
    pointsMonth: (g: string, month: string) => `${group(g)}:points:month:${month}`,
    pointsAwards: (g: string) => `${group(g)}:points:awards`,
    pointsNames: (g: string) => `${group(g)}:points:names`,
    // organisation life (组织生活)
    ledger: (g: string) => `${group(g)}:org:ledger`,
    ledgerImport: (g: string) => `${group(g)}:org:ledger-import`,
    birthdayGreetings: (g: string, year: number) => `${group(g)}:org:birthdays:${year}:greeted`,
    birthdayTalks: (g: string, year: number) => `${group(g)}:org:birthdays:${year}:talks`,
    meetings: (g: string) => `${group(g)}:org:meetings`,
    meetingsOpen: (g: string) => `${group(g)}:org:meetings:open`,
    meetingAttendance: (g: string, meetingId: string) => `${group(g)}:org:meeting:${meetingId}:attendance`,
    meetingNotice: (g: string, scheduleId: string, slot: number) => `${group(g)}:org:meeting-notice:${scheduleId}:${slot}`,
    duesPeriods: (g: string) => `${group(g)}:org:dues`,
    duesReminders: (g: string) => `${group(g)}:org:dues:reminders`,
    duesConfirmed: (g: string, periodId: string) => `${group(g)}:org:dues:${periodId}:confirmed`,
  }
}
