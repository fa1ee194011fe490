import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import { withScripts } from './scripts.ts'
import type { Question } from '../quiz/types.ts'

/** How one question of a closed round went. */
export interface QuestionResult {
  answered: number
  correct: number
  /** The member whose correct answer came first (final answers only). */
  firstCorrect?: string
}

/** A quiz round: the questions posted at one slot in one group, open until `dueAt`. */
export interface Round {
  id: string
  group: string
  scheduleId?: string
  slot: number
  openedAt: number
  dueAt: number
  status: 'open' | 'closed'
  questions: Question[]
  closedAt?: number
  results?: QuestionResult[]
}

/** A member's current answer to one question of a round. */
export interface MemberAnswer {
  member: string
  name: string
  /** 0-based question index in the round. */
  question: number
  text: string
  correct: boolean
  /** When this (latest) answer was given. */
  at: number
  messageId: string
}

/** What recording an answer did. `stale`: a newer round opened since the caller last looked. */
export type AnswerOutcome = 'first' | 'changed' | 'duplicate' | 'closed' | 'stale'

// One round trip per answer: the round must still be the group's current one (if one is marked),
// open and before its deadline; a redelivered message changes nothing; the member's previous
// answer to the question (if any) is replaced.
const answerScript = `
local current = redis.call('GET', KEYS[4])
if current and current ~= ARGV[5] then return -3 end
if redis.call('HGET', KEYS[1], 'status') ~= 'open' then return -1 end
if tonumber(redis.call('HGET', KEYS[1], 'dueAt')) <= tonumber(ARGV[4]) then return -1 end
if redis.call('SADD', KEYS[3], ARGV[3]) == 0 then return -2 end
local old = redis.call('HGET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if old then return 1 end
return 0`

// Open a round once (a second call with the same id changes nothing) and make it the current one.
const openScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
redis.call('SET', KEYS[4], ARGV[3])
return 1`

// A round stops being current when it closes or is cancelled (another round may be current by then).
const uncurrentScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`

function readRound(raw: Record<string, string>): Round | undefined {
  if (!raw.id) return undefined
  return {
    id: raw.id,
    group: raw.group!,
    ...(raw.scheduleId ? { scheduleId: raw.scheduleId } : {}),
    slot: Number(raw.slot),
    openedAt: Number(raw.openedAt),
    dueAt: Number(raw.dueAt),
    status: raw.status as Round['status'],
    questions: JSON.parse(raw.questions ?? '[]') as Question[],
    ...(raw.closedAt ? { closedAt: Number(raw.closedAt) } : {}),
    ...(raw.results ? { results: JSON.parse(raw.results) as QuestionResult[] } : {}),
  }
}

/** Question banks, asked and banned questions, rounds and answers of each group. */
export type QuizStore = ReturnType<typeof createQuizStore>

/** Build the quiz store on a Redis client. */
export function createQuizStore(redis: Redis, keys: Keys) {
  const scripts = withScripts(redis, {
    quizAnswer: { keys: 4, lua: answerScript },
    quizOpenRound: { keys: 4, lua: openScript },
    quizUncurrent: { keys: 1, lua: uncurrentScript },
  })
  // A round's questions and deadline never change once it is open. The current round of each
  // group is remembered here, so an answer costs one round trip; the answer script says when a
  // newer round has opened meanwhile (on any instance) and the caller looks again.
  const current = new Map<string, Round>()
  const store = {
    /** Add bank questions in one transaction (all or none); questions already in the bank are left as they are. */
    async importBank(group: string, questions: readonly Question[]): Promise<{ added: number; existing: number }> {
      if (!questions.length) return { added: 0, existing: 0 }
      const base = await redis.zcard(keys.quizBankOrder(group))
      const m = redis.multi()
      questions.forEach((q, i) => {
        m.hsetnx(keys.quizBank(group), q.id, JSON.stringify(q))
        m.zadd(keys.quizBankOrder(group), 'NX', String(base + i), q.id)
      })
      const res = (await m.exec()) ?? []
      const added = res.filter((_r, i) => i % 2 === 0).filter(([err, n]) => !err && n === 1).length
      return { added, existing: questions.length - added }
    },
    /** Bank questions in import order. */
    async bank(group: string): Promise<Question[]> {
      const ids = await redis.zrange(keys.quizBankOrder(group), '0', '-1')
      if (!ids.length) return []
      const raw = await redis.hmget(keys.quizBank(group), ...ids)
      return raw.flatMap((r) => (r ? [JSON.parse(r) as Question] : []))
    },
    /** Ids of questions already asked or skipped, and of questions banned. */
    async spent(group: string): Promise<{ used: Set<string>; banned: Set<string> }> {
      const [used, banned] = await Promise.all([redis.smembers(keys.quizUsed(group)), redis.smembers(keys.quizBanned(group))])
      return { used: new Set(used), banned: new Set(banned) }
    },
    /** Take a question for a round or skip it; false if another caller took it first. */
    async markUsed(group: string, id: string): Promise<boolean> {
      return (await redis.sadd(keys.quizUsed(group), id)) === 1
    },
    async unmarkUsed(group: string, ids: readonly string[]): Promise<void> {
      if (ids.length) await redis.srem(keys.quizUsed(group), ...ids)
    },
    /** Never ask this question in the group. */
    async ban(group: string, id: string): Promise<void> {
      await redis.sadd(keys.quizBanned(group), id)
    },

    /** Open a round; false if a round with this id exists already. */
    async openRound(r: Omit<Round, 'status' | 'results' | 'closedAt'>): Promise<boolean> {
      const fields: Record<string, string> = {
        id: r.id, group: r.group, slot: String(r.slot), openedAt: String(r.openedAt), dueAt: String(r.dueAt),
        status: 'open', questions: JSON.stringify(r.questions),
        ...(r.scheduleId ? { scheduleId: r.scheduleId } : {}),
      }
      const flat = Object.entries(fields).flat()
      // rounds are listed by openedAt, open rounds by dueAt
      const opened = await scripts.quizOpenRound(keys.quizRound(r.group, r.id), keys.quizRounds(r.group), keys.quizOpen(r.group), keys.quizCurrent(r.group),
        String(r.openedAt), String(r.dueAt), r.id, ...flat)
      return opened === 1
    },
    async round(group: string, id: string): Promise<Round | undefined> {
      return readRound(await redis.hgetall(keys.quizRound(group, id)))
    },
    /** The open round answers go to: the newest one still before its deadline. */
    async currentRound(group: string, now: number): Promise<Round | undefined> {
      const hit = current.get(group)
      if (hit && hit.dueAt > now) return hit
      current.delete(group)
      const ids = await redis.zrangebyscore(keys.quizOpen(group), `(${now}`, '+inf')
      const rounds = (await Promise.all(ids.map((id) => store.round(group, id)))).filter((r): r is Round => r?.status === 'open')
      const newest = rounds.sort((a, b) => b.openedAt - a.openedAt)[0]
      if (newest) current.set(group, newest)
      return newest
    },
    /** Forget the remembered current round (after a `stale` answer). */
    forgetCurrent(group: string): void {
      current.delete(group)
    },
    /** Ids of open rounds whose deadline has passed. */
    async dueRoundIds(group: string, now: number): Promise<string[]> {
      return redis.zrangebyscore(keys.quizOpen(group), '-inf', String(now))
    },
    /** The earliest deadline of an open round in the group, if any. */
    async nextDue(group: string): Promise<number | undefined> {
      const [, score] = await redis.zrange(keys.quizOpen(group), '0', '0', 'WITHSCORES')
      return score === undefined ? undefined : Number(score)
    },
    /** Rounds opened in [since, until), oldest first. */
    async rounds(group: string, since = 0, until = Number.MAX_SAFE_INTEGER): Promise<Round[]> {
      const ids = await redis.zrangebyscore(keys.quizRounds(group), since, `(${until}`)
      return (await Promise.all(ids.map((id) => store.round(group, id)))).filter((r): r is Round => r !== undefined)
    },
    /** The newest `n` rounds, newest first. */
    async latestRounds(group: string, n: number): Promise<Round[]> {
      const ids = await redis.zrevrange(keys.quizRounds(group), 0, n - 1)
      return (await Promise.all(ids.map((id) => store.round(group, id)))).filter((r): r is Round => r !== undefined)
    },

    /** Record (or change) a member's answer to one question, once per message. */
    async recordAnswer(group: string, roundId: string, a: MemberAnswer, now: number): Promise<AnswerOutcome> {
      const res = await scripts.quizAnswer(keys.quizRound(group, roundId), keys.quizAnswers(group, roundId), keys.quizAnswerMessages(group, roundId), keys.quizCurrent(group),
        `${a.question}:${a.member}`, JSON.stringify(a), a.messageId, String(now), roundId)
      return res === -3 ? 'stale' : res === -1 ? 'closed' : res === -2 ? 'duplicate' : res === 1 ? 'changed' : 'first'
    },
    /** Every current answer of a round. */
    async answers(group: string, roundId: string): Promise<MemberAnswer[]> {
      return Object.values(await redis.hgetall(keys.quizAnswers(group, roundId))).map((v) => JSON.parse(v) as MemberAnswer)
    },
    /** A member's current answers in a round, by question index. */
    async memberAnswers(group: string, round: Round, member: string): Promise<(MemberAnswer | undefined)[]> {
      if (!round.questions.length) return []
      const raw = await redis.hmget(keys.quizAnswers(group, round.id), ...round.questions.map((_q, i) => `${i}:${member}`))
      return raw.map((r) => (r ? JSON.parse(r) as MemberAnswer : undefined))
    },

    /** Lease the closing of a round to one instance; it expires so a crashed closer is replaced. */
    async takeCloseLease(group: string, roundId: string, owner: string, ttlMs: number): Promise<boolean> {
      return (await redis.set(keys.quizCloseLease(group, roundId), owner, 'PX', ttlMs, 'NX')) === 'OK'
    },
    async releaseCloseLease(group: string, roundId: string): Promise<void> {
      await redis.del(keys.quizCloseLease(group, roundId))
    },
    /** The round is over: keep its results, stop taking answers. */
    async markClosed(group: string, roundId: string, results: QuestionResult[], closedAt: number): Promise<void> {
      await redis.multi()
        .hset(keys.quizRound(group, roundId), { status: 'closed', closedAt: String(closedAt), results: JSON.stringify(results) })
        .zrem(keys.quizOpen(group), roundId)
        .exec()
      await scripts.quizUncurrent(keys.quizCurrent(group), roundId)
    },
    /** A round whose questions were never posted: forget it, and give its questions back. */
    async cancelRound(group: string, round: Pick<Round, 'id' | 'questions'>): Promise<void> {
      await redis.multi()
        .del(keys.quizRound(group, round.id), keys.quizAnswers(group, round.id), keys.quizAnswerMessages(group, round.id))
        .zrem(keys.quizOpen(group), round.id)
        .zrem(keys.quizRounds(group), round.id)
        .srem(keys.quizUsed(group), ...round.questions.map((q) => q.id))
        .exec()
      await scripts.quizUncurrent(keys.quizCurrent(group), round.id)
    },
  }
  return store
}
