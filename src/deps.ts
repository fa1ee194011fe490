import path from 'node:path'
import type OpenAI from 'openai'
import type { Config } from './config.ts'
import type { Logger } from './log.ts'
import { systemClock, type Clock } from './clock.ts'
import type { Redis } from './store/redis.ts'
import { createKeys, type Keys } from './store/keys.ts'
import { createAskLimits, type AskLimits } from './store/ask-limits.ts'
import { createAssignmentStore, type AssignmentStore } from './store/assignment-store.ts'
import { createHandledMessages, type HandledMessages } from './store/handled-messages.ts'
import { createReflectionJournal, type ReflectionJournal } from './store/reflection-journal.ts'
import { createReflectionStore, type ReflectionStore } from './store/reflection-store.ts'
import { createScheduleStore, type ScheduleStore } from './store/schedule-store.ts'
import { createSlotWork, type SlotWork } from './store/slot-work.ts'
import { createSeenMembers, type SeenMembers } from './store/seen-members.ts'
import { createGroupRooms, type GroupRooms } from './store/group-rooms.ts'
import { createConsoleSessions, type ConsoleSessions } from './store/console-sessions.ts'
import { createAuditLog, type AuditLog } from './store/audit-log.ts'
import { createQuizStore, type QuizStore } from './store/quiz-store.ts'
import { createPointsStore, type PointsStore } from './store/points-store.ts'
import { createAnswerMarks, type AnswerMarks } from './store/answer-marks.ts'
import { createLedgerStore, type LedgerStore } from './store/ledger-store.ts'
import { createTaughtAnswers, type TaughtAnswers } from './store/taught-answers.ts'
import { createQuestionLog, type QuestionLog } from './store/question-log.ts'
import { createLastAnswers, type LastAnswers } from './store/last-answers.ts'
import { createBirthdayStore, type BirthdayStore } from './store/birthday-store.ts'
import { createMeetingStore, type MeetingStore } from './store/meeting-store.ts'
import { createDuesStore, type DuesStore } from './store/dues-store.ts'
import type { MaterialLibrary } from './materials/types.ts'
import { withConfiguredRanking } from './materials/hybrid-search.ts'

/** Every store, built once on one Redis client and key prefix. */
export interface Stores {
  reflections: ReflectionStore
  assignments: AssignmentStore
  schedules: ScheduleStore
  /** Per-slot broadcast work lists with leases. */
  slotWork: SlotWork
  askLimits: AskLimits
  handled: HandledMessages
  seen: SeenMembers
  /** Room ids of groups configured by topic, as first seen. */
  groupRooms: GroupRooms
  /** Reflections kept on local disk while Redis is unreachable (config.dataDir/journal). */
  journal: ReflectionJournal
  /** Web console login links and sessions. */
  consoleSessions: ConsoleSessions
  /** Changes made in the web console: who, when, what. */
  audit: AuditLog
  quiz: QuizStore
  points: PointsStore
  /** Answers members marked as wrong. */
  answerMarks: AnswerMarks
  /** The passage of each member's last answer, for 原文. */
  lastAnswers: LastAnswers
  /** Each group's member ledger (党员台账). */
  ledger: LedgerStore
  /** Question–answer pairs secretaries taught the bot (#教). */
  taught: TaughtAnswers
  /** Recent questions asked per group (answered or refused), and the refused ones alone. */
  questionLog: QuestionLog
  /** Political-birthday greetings sent and talks held, per group and year. */
  birthdays: BirthdayStore
  /** 三会一课 meetings, sign-in windows and attendance. */
  meetings: MeetingStore
  /** Party-dues notices and members' confirmations. */
  dues: DuesStore
}

/** What answering from the materials needs; enough for the offline CLI (no Redis). */
export interface MaterialsDeps {
  config: Config
  log: Logger
  clock: Clock
  /** The materials, ranked by meaning too when `llm.embeddingModel` is configured. */
  library: MaterialLibrary
  /** OpenAI-compatible client when `llm` is configured; settings are in config.llm. */
  llm?: OpenAI
  /** Present when Redis is: question rate and daily LLM budget. */
  stores?: Pick<Stores, 'askLimits'> & Partial<Pick<Stores, 'lastAnswers'>>
}

/** Everything a component needs, built once by createDeps and passed down. */
export interface Deps extends MaterialsDeps {
  redis: Redis
  keys: Keys
  stores: Stores
}

/** What createDeps is built from; tests pass their own Redis, keys prefix and clock. */
export interface DepsOptions {
  config: Config
  log: Logger
  /** Default: no materials (commands that only read Redis). */
  library?: MaterialLibrary
  clock?: Clock
  /** Default: the product's `studybot` prefix. */
  keys?: Keys
  /** Default: built from config.llm (the openai module is loaded only then). */
  llm?: OpenAI
}

/** Build the deps of the bot, a CLI command, a test or a bench: config-derived parts, the LLM client and every store, once. */
export async function createDeps(o: DepsOptions & { redis: Redis }): Promise<Deps> {
  const keys = o.keys ?? createKeys()
  const clock = o.clock ?? systemClock
  const { redis, config, log } = o
  const stores: Stores = {
    reflections: createReflectionStore(redis, keys, clock, config.timezone),
    assignments: createAssignmentStore(redis, keys, clock),
    schedules: createScheduleStore(redis, keys, clock),
    slotWork: createSlotWork(redis, keys),
    askLimits: createAskLimits(redis, keys, clock, config.timezone),
    handled: createHandledMessages(redis, keys, log),
    seen: createSeenMembers(redis, keys, log),
    groupRooms: createGroupRooms(redis, keys),
    journal: createReflectionJournal(path.join(config.dataDir, 'journal')),
    consoleSessions: createConsoleSessions(redis, keys, clock),
    audit: createAuditLog(redis, keys, clock),
    quiz: createQuizStore(redis, keys),
    points: createPointsStore(redis, keys, clock, config.timezone),
    answerMarks: createAnswerMarks(redis, keys, clock),
    lastAnswers: createLastAnswers(redis, keys),
    ledger: createLedgerStore(redis, keys, clock),
    taught: createTaughtAnswers(redis, keys, clock),
    questionLog: createQuestionLog(redis, keys, clock),
    birthdays: createBirthdayStore(redis, keys, clock),
    meetings: createMeetingStore(redis, keys, clock),
    dues: createDuesStore(redis, keys, clock),
  }
  return { ...await materialsPart(o, keys, clock), redis, keys, stores }
}

/**
 * Deps for answering without the bot: with `redis`, limits apply and vectors are cached in it;
 * without, everything stays offline (one-off CLI runs).
 */
export async function createMaterialsDeps(o: DepsOptions & { redis?: Redis }): Promise<MaterialsDeps> {
  const keys = o.keys ?? createKeys()
  const clock = o.clock ?? systemClock
  const stores = o.redis ? { askLimits: createAskLimits(o.redis, keys, clock, o.config.timezone), lastAnswers: createLastAnswers(o.redis, keys) } : undefined
  return { ...await materialsPart(o, keys, clock), ...(stores ? { stores } : {}) }
}

async function materialsPart(o: DepsOptions & { redis?: Redis }, keys: Keys, clock: Clock) {
  const { config, log, redis } = o
  const llm = o.llm ?? (config.llm ? await createLlmClient(config) : undefined)
  const library = withConfiguredRanking(o.library ?? noMaterials, { config, llm, log, redis, keys })
  return { config, log, clock, library, llm }
}

const noMaterials: MaterialLibrary = { search: async () => [], documents: () => [], passages: () => [], ready: async () => undefined, close: () => undefined }

/** The OpenAI-compatible client of config.llm; the openai module is loaded on first use. */
async function createLlmClient(config: Config): Promise<OpenAI> {
  const { default: OpenAIClient } = await import('openai')
  return new OpenAIClient({
    baseURL: config.llm!.baseURL, apiKey: config.secrets.llmApiKey ?? 'none', timeout: config.llm!.timeoutMs, maxRetries: 0,
  })
}
