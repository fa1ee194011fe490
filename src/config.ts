import fs from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { validate as isValidCron } from 'node-cron'
import type { RedisTarget } from './store/redis.ts'

/** Raised when the configuration cannot be used; `problems` lists every one, in Chinese. */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`配置文件 ${file} 有 ${problems.length} 处问题：\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

const names = z.array(z.string().min(1)).default([])

/** A role holder as written: a platform id (plain string), or `{ id, name }` (name is a label). */
const personEntry = z.union([
  z.string().min(1),
  z.strictObject({ id: z.string().min(1).optional(), name: z.string().min(1).optional() })
    .refine((p) => p.id || p.name, '需要 id（平台 ID），可加 name（名字，仅作标注），如 { id: wxid_zhang, name: 张书记 }'),
])
const people = z.array(personEntry).default([])

/** 入党誓词 as 党章 第六条 gives it; used when the materials do not carry the text. */
export const DEFAULT_OATH = '我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身，随时准备为党和人民牺牲一切，永不叛党。'

const groupSchema = z.strictObject({
  topic: z.string().min(1).optional(),
  id: z.string().min(1).optional(),
  secretaries: people,
  organizers: people,
  exclude: names,
  materials: z.array(z.string().min(1)).optional(),
  webhook: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, '应为保存 webhook 地址或 key 的环境变量名（大写字母、数字、下划线）').optional(),
})

const scheduleSchema = z.strictObject({
  id: z.string().regex(/^[\w-]+$/, '只能包含字母、数字、下划线和连字符'),
  group: z.string().min(1),
  cron: z.string().min(1),
  kind: z.enum(['text', 'study-plan', 'reflection-prompt', 'remind', 'quiz', 'birthdays', 'meeting', 'dues']),
  text: z.string().min(1).optional(),
  doc: z.string().min(1).optional(),
  due: z.string().regex(/^(\d+[dh]|\d{1,2}:\d{2})$/, '应为时长，如 4d（天）或 12h（小时）；每日一题也可写截止时刻，如 21:00').optional(),
  /** quiz: questions per round (default quiz.questions). */
  questions: z.number().int().min(1).max(5).optional(),
  wrap: z.boolean().default(false),
  paused: z.boolean().default(false),
  /** meeting: which of 三会一课 (with 主题党日) is held at the cron time. */
  meeting: z.enum(['支部党员大会', '支委会', '党小组会', '党课', '主题党日']).optional(),
  topic: z.string().min(1).optional(),
  place: z.string().min(1).optional(),
  /** meeting: the 党小组 expected (党小组会); default the whole ledger. */
  cell: z.string().min(1).optional(),
  /** meeting: how long before the meeting its notice goes out (default 1d). */
  notice: z.string().regex(/^\d+[dhm]$/, '应为时长，如 1d（天）、2h（小时）或 30m（分钟）').optional(),
  /** meeting: how long sign-in stays open after the start (default 2h). */
  signIn: z.string().regex(/^\d+[dhm]$/, '应为时长，如 2h（小时）或 90m（分钟）').optional(),
})

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, '应为环境变量名（大写字母、数字、下划线）')

/** One bot account of several (`accounts:`): its puppet, the variables holding its secrets, its groups. */
const accountSchema = z.strictObject({
  id: z.string().regex(/^[\w-]+$/, '账号 id 只能包含字母、数字、下划线和连字符'),
  /** mock (the simulator), wecom, or a Wechaty puppet package name. */
  puppet: z.string().min(1).default('mock'),
  /** The variable holding this account's Wechaty puppet service token. */
  token: envName.optional(),
  /** The variables holding this account's WeCom intelligent-bot id and secret (puppet: wecom). */
  wecom: z.strictObject({ botId: envName, secret: envName, wsUrl: envName.optional() }).optional(),
  /** This account's own pause between two sends (default bot.sendIntervalMs). */
  sendIntervalMs: z.number().int().min(0).optional(),
  /** Groups this account hosts, by topic or id; a group no account lists goes to the account that sees its room. */
  groups: z.array(z.string().min(1)).default([]),
})

const schema = z.strictObject({
  accounts: z.array(accountSchema).min(1, '至少需要一个账号；只有一个账号时可以不写 accounts').optional(),
  bot: z.strictObject({
    name: z.string().min(1).default('学习助手'),
    puppet: z.string().min(1).optional(),
    sendIntervalMs: z.number().int().min(0).default(1000),
    maxMessageBytes: z.number().int().min(200).default(2000),
    sendRetries: z.number().int().min(0).max(10).default(3),
    maxMessageAgeSeconds: z.number().int().min(1).default(300),
    /** #commands one member may send per minute; past it they are told once, then ignored. */
    commandsPerMemberPerMinute: z.number().int().min(1).default(20),
  }).default({ name: '学习助手', sendIntervalMs: 1000, maxMessageBytes: 2000, sendRetries: 3, maxMessageAgeSeconds: 300, commandsPerMemberPerMinute: 20 }),
  timezone: z.string().default('Asia/Shanghai').refine(isTimeZone, '不是有效的时区名，例如 Asia/Shanghai'),
  materials: z.string().min(1).default('materials'),
  /** A branch's own interchangeable words, one group per list (added to the built-in thesaurus). */
  synonyms: z.array(z.array(z.string().trim().min(1, '同义词不能为空')).min(2, '每组同义词至少要两个词')).default([]),
  dataDir: z.string().min(1).default('.studybot'),
  groups: z.array(groupSchema).min(1, '至少需要配置一个学习群'),
  members: z.record(z.string(), z.string()).default({}),
  schedules: z.array(scheduleSchema).default([]),
  graceMinutes: z.number().min(0).default(10),
  /** Shortest gap between two firings of a schedule added in chat or the console. */
  minScheduleIntervalMinutes: z.number().min(0).default(10),
  reflections: z.strictObject({
    minChars: z.number().int().min(1).default(20),
    maxChars: z.number().int().min(1).default(5000),
  }).default({ minChars: 20, maxChars: 5000 }),
  ask: z.strictObject({
    perMemberPerMinute: z.number().int().min(1).default(5),
    answerChars: z.number().int().min(50).default(300),
  }).default({ perMemberPerMinute: 5, answerChars: 300 }),
  console: z.strictObject({
    enabled: z.boolean().default(true),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8787),
    /** Address people open, e.g. https://dangjian.example.org/studybot (behind a reverse proxy). */
    publicUrl: z.url({ protocol: /^https?$/, error: '应为后台的访问地址，如 https://dangjian.example.org/studybot' }).optional(),
    maxUploadMB: z.number().min(1).max(200).default(20),
  }).default({ enabled: true, host: '127.0.0.1', port: 8787, maxUploadMB: 20 }),
  quiz: z.strictObject({
    /** Everyone may post #积分榜 (default: secretaries only; members resent public rankings). */
    publicLeaderboard: z.boolean().default(false),
    questions: z.number().int().min(1).max(5).default(1),
    points: z.strictObject({
      correct: z.number().int().min(0).default(10),
      firstCorrect: z.number().int().min(0).default(5),
      reflection: z.number().int().min(0).default(20),
      /** Points for #打卡 (study check-in), once a day; 0 turns check-in off. */
      checkin: z.number().int().min(0).default(0),
    }).default({ correct: 10, firstCorrect: 5, reflection: 20, checkin: 0 }),
  }).default({ publicLeaderboard: false, questions: 1, points: { correct: 10, firstCorrect: 5, reflection: 20, checkin: 0 } }),
  wecom: z.strictObject({
    /** Sent when a member opens the private chat with the bot (enter_chat); '' for none. Default: what the bot can do. */
    welcome: z.string().optional(),
    /** An answer not ready after this long shows 正在查找… first (WeCom streams). */
    thinkingAfterMs: z.number().int().min(0).default(1000),
  }).default({ thinkingAfterMs: 1000 }),
  /** Political birthdays (政治生日): greetings on the day of 入党日期 from the member ledger. */
  birthdays: z.strictObject({
    /** When the day's greetings go out (in the configured zone). */
    time: z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, '应为时刻，如 08:30').default('08:30'),
    /** 入党誓词 when the materials' 党章 第六条 does not carry it. */
    oath: z.string().min(1).default(DEFAULT_OATH),
  }).optional(),
  llm: z.strictObject({
    baseURL: z.string().url('应为 OpenAI 兼容接口的地址，如 http://localhost:11434/v1'),
    model: z.string().min(1),
    embeddingModel: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(100).default(20000),
    dailyBudget: z.number().int().min(0).default(200),
    /** Before searching, let the model turn a colloquial question into up to three search queries (one more call per question). */
    rewriteQueries: z.boolean().default(false),
  }).optional(),
})

type Parsed = z.infer<typeof schema>

/**
 * Someone the config gives a role. Roles are granted by `id` alone; `name` is a label for
 * messages. No `id` means a name the config could not tie to an id: it grants nothing.
 */
export interface RolePerson {
  id?: string
  name?: string
  /** As written in the config, for warnings. */
  entry: string
}

/** One configured study group; `key` names it in Redis and across instances. */
export type GroupConfig = Omit<z.infer<typeof groupSchema>, 'secretaries' | 'organizers'> & {
  key: string
  secretaries: RolePerson[]
  organizers: RolePerson[]
}
/** One schedule from the config file. */
export type ScheduleConfig = z.infer<typeof scheduleSchema>

/**
 * One bot account with its own puppet, secrets and pacing. Without `accounts:` in the config
 * there is one, `default`, from bot.puppet and the environment (WECHATY_PUPPET and the rest).
 */
export interface AccountConfig {
  id: string
  /** mock / wechaty-puppet-mock / none (the simulator), wecom, or a Wechaty puppet package name. */
  puppet?: string
  /** This account's pause between two sends. */
  sendIntervalMs: number
  /** Keys of the groups the config gives this account. */
  groups: string[]
  puppetToken?: string
  wecom: { botId?: string; secret?: string; wsUrl?: string }
}

/** Secrets and switches that come only from the environment. */
export interface Secrets {
  redisUrl?: string
  /** Where Redis is: REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS (+ REDIS_SENTINEL_NAME), with credentials. */
  redis: RedisEnv
  llmApiKey?: string
  puppet?: string
  puppetToken?: string
  wecom: { botId?: string; secret?: string; wsUrl?: string }
  /** Webhook URL (or key) per group key, resolved from each group's `webhook` variable. */
  webhooks: Record<string, string>
  logLevel: string
}

/** Redis location and credentials from the environment (see README 规模化部署). */
export type RedisEnv = RedisTarget

/** True when the environment names an external Redis (one node, a Cluster or Sentinels). */
export function hasExternalRedis(secrets: Secrets): boolean {
  return Boolean(secrets.redis.url || secrets.redis.clusterNodes || secrets.redis.sentinels)
}

function redisEnv(env: NodeJS.ProcessEnv, problems: string[]): RedisEnv {
  const list = (name: string): string[] | undefined => {
    const v = env[name]?.trim()
    if (!v) return undefined
    const items = v.split(',').map((x) => x.trim()).filter(Boolean)
    for (const it of items) {
      if (!/^[^\s:]*:\d{1,5}$/.test(it)) problems.push(`环境变量 ${name}：“${it}”不是 主机:端口 的形式（如 10.0.0.1:7000，多个用逗号分隔）`)
    }
    return items
  }
  const clusterNodes = list('REDIS_CLUSTER_NODES')
  const sentinels = list('REDIS_SENTINELS')
  const sentinelName = env.REDIS_SENTINEL_NAME || undefined
  const chosen = [env.REDIS_URL && 'REDIS_URL', clusterNodes && 'REDIS_CLUSTER_NODES', sentinels && 'REDIS_SENTINELS'].filter(Boolean)
  if (chosen.length > 1) problems.push(`环境变量 ${chosen.join('、')} 只能设置其中一个（单机、Cluster 或 Sentinel）`)
  if (sentinels && !sentinelName) problems.push('环境变量 REDIS_SENTINEL_NAME：使用 REDIS_SENTINELS 时需要填写 Sentinel 中主节点的名字（如 mymaster）')
  return {
    ...(env.REDIS_URL ? { url: env.REDIS_URL } : {}),
    ...(clusterNodes ? { clusterNodes } : {}),
    ...(sentinels ? { sentinels, sentinelName } : {}),
    ...(env.REDIS_USERNAME ? { username: env.REDIS_USERNAME } : {}),
    ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}),
    ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
    ...(/^(1|true|yes)$/i.test(env.REDIS_TLS ?? '') ? { tls: true } : {}),
  }
}

/** The validated, frozen configuration every component receives. */
export type Config = Omit<Parsed, 'groups' | 'materials' | 'dataDir' | 'accounts'> & {
  file: string
  groups: GroupConfig[]
  /** The bot accounts, at least one (see AccountConfig). */
  accounts: AccountConfig[]
  /** Absolute path of the materials folder. */
  materials: string
  /** Absolute path of the local data folder (private Redis, journal). */
  dataDir: string
  secrets: Secrets
}

/** Path of the config file: --config, else STUDYBOT_CONFIG, else config/studybot.yaml. */
export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  return path.resolve(cwd, flag ?? env.STUDYBOT_CONFIG ?? 'config/studybot.yaml')
}

/** Read, validate and freeze the configuration; throws ConfigError listing every problem. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv): Config {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    throw new ConfigError(file, [`找不到配置文件（可用 --config 路径 或环境变量 STUDYBOT_CONFIG 指定）`])
  }
  let raw: unknown
  try {
    raw = parseYaml(text) ?? {}
  } catch (err) {
    throw new ConfigError(file, [`不是有效的 YAML：${(err as Error).message.split('\n')[0]}`])
  }
  return parseConfig(raw, file, env)
}

/** Validate an already-parsed config object (tests pass objects directly). */
export function parseConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv): Config {
  raw = withDuesCron(raw)
  const result = schema.safeParse(raw)
  const problems = result.success ? [] : result.error.issues.map(describeIssue)
  // cross-field checks run on whatever parsed, so one run reports every problem
  const loose = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const base = path.dirname(file)
  const rawGroups = (Array.isArray(loose.groups) ? loose.groups : []) as Array<Partial<GroupConfig>>
  const groups: GroupConfig[] = rawGroups.map((g, i) => {
    if (g && typeof g === 'object' && !g.topic && !g.id) problems.push(`groups[${i}]：需要 topic（群名）或 id（群 ID）`)
    return { ...g, key: g?.id ?? g?.topic ?? `group-${i}` } as GroupConfig
  })
  const seen = new Set<string>()
  groups.forEach((g, i) => {
    if (seen.has(g.key)) problems.push(`groups[${i}]：群“${g.key}”重复配置`)
    seen.add(g.key)
  })
  const materials = path.resolve(base, typeof loose.materials === 'string' ? loose.materials : 'materials')
  const webhooks: Record<string, string> = {}
  groups.forEach((g, i) => {
    if (typeof g.webhook !== 'string') return
    const value = env[g.webhook]
    // the value is a secret: a problem names the variable, never what it holds
    if (!value) problems.push(`groups[${i}].webhook：环境变量 ${g.webhook} 未设置（应为群机器人 webhook 地址或 key）`)
    else if (!isWebhookValue(value)) problems.push(`groups[${i}].webhook：环境变量 ${g.webhook} 的值不是有效的群机器人 webhook（应为完整地址 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…，或只填其中的 key；为保护密钥，这里不显示它的值）`)
    else webhooks[g.key] = value
  })
  const rawSchedules = (Array.isArray(loose.schedules) ? loose.schedules : []) as Array<Partial<ScheduleConfig>>
  const ids = new Set<string>()
  rawSchedules.forEach((s, i) => {
    if (!s || typeof s !== 'object') return
    const at = `schedules[${i}]`
    if (s.id && ids.has(s.id)) problems.push(`${at}.id：定时任务 id“${s.id}”重复`)
    if (s.id) ids.add(s.id)
    if (typeof s.cron === 'string' && !isValidCron(s.cron)) problems.push(`${at}.cron：“${s.cron}”不是有效的 cron 表达式（5 段，或带秒的 6 段，如 "0 9 * * 1"）`)
    if (typeof s.group === 'string' && s.group !== '*' && !groups.some((g) => g.key === s.group || g.topic === s.group || g.id === s.group)) {
      problems.push(`${at}.group：“${s.group}”不是已配置的学习群（填群名、群 id，或 "*" 表示所有群）`)
    }
    if (s.kind === 'dues' && !s.text) problems.push(`${at}.text：dues 类型需要 text（本支部的党费缴纳通知，机器人不计算任何人的党费）`)
    if ((s.kind === 'text' || s.kind === 'reflection-prompt') && !s.text) problems.push(`${at}.text：${s.kind} 类型需要 text（发送的内容）`)
    if (typeof s.due === 'string' && s.due.includes(':') && s.kind !== 'quiz') problems.push(`${at}.due：截止时刻（如 21:00）只用于 quiz 类型，其他类型请写时长，如 4d 或 12h`)
    if (s.kind === 'meeting' && !s.meeting) problems.push(`${at}.meeting：meeting 类型需要 meeting（支部党员大会、支委会、党小组会、党课 或 主题党日）`)
    if (s.kind === 'study-plan') {
      if (!s.doc) problems.push(`${at}.doc：study-plan 类型需要 doc（材料文件名）`)
      else if (!fs.existsSync(path.join(materials, s.doc))) problems.push(`${at}.doc：材料目录 ${materials} 中没有文件“${s.doc}”`)
    }
  })
  const redis = redisEnv(env, problems)
  const accounts = accountsOf(loose.accounts, groups, env, problems)
  if (problems.length || !result.success) throw new ConfigError(file, problems)
  const parsed = result.data
  if (parsed.reflections.minChars > parsed.reflections.maxChars) {
    throw new ConfigError(file, ['reflections：minChars 不能大于 maxChars'])
  }

  const secrets: Secrets = {
    redisUrl: env.REDIS_URL || undefined,
    redis,
    llmApiKey: env.LLM_API_KEY || undefined,
    puppet: env.WECHATY_PUPPET || parsed.bot.puppet,
    puppetToken: env.WECHATY_PUPPET_SERVICE_TOKEN || undefined,
    wecom: { botId: env.WECOM_BOT_ID, secret: env.WECOM_BOT_SECRET, wsUrl: env.WECOM_WS_URL },
    webhooks,
    logLevel: env.LOG_LEVEL || 'info',
  }
  return deepFreeze({
    ...parsed,
    file,
    accounts: accounts?.map((a) => ({ ...a, sendIntervalMs: a.sendIntervalMs ?? parsed.bot.sendIntervalMs })) ?? [{
      id: 'default', puppet: secrets.puppet, sendIntervalMs: parsed.bot.sendIntervalMs, groups: [],
      puppetToken: secrets.puppetToken, wecom: secrets.wecom,
    }],
    groups: parsed.groups.map((g, i) => ({
      ...g,
      key: groups[i].key,
      secretaries: g.secretaries.map((p) => resolvePerson(p, parsed.members)),
      organizers: g.organizers.map((p) => resolvePerson(p, parsed.members)),
    })),
    materials,
    dataDir: path.resolve(base, parsed.dataDir),
    secrets,
  })
}

/**
 * The `accounts:` section resolved: group names to keys, secret variables to their values. Every
 * problem (a group no one configured, one group on two accounts, a variable not set) is pushed in
 * Chinese; undefined when the section is absent (one account, as before).
 */
function accountsOf(raw: unknown, groups: GroupConfig[], env: NodeJS.ProcessEnv, problems: string[]): Array<Omit<AccountConfig, 'sendIntervalMs'> & { sendIntervalMs?: number }> | undefined {
  if (!Array.isArray(raw)) return undefined
  const ids = new Set<string>()
  const hostOf = new Map<string, { index: number; id: string }>()
  const accounts = raw.map((a: Partial<z.infer<typeof accountSchema>>, i): Omit<AccountConfig, 'sendIntervalMs'> & { sendIntervalMs?: number } => {
    const at = `accounts[${i}]`
    if (!a || typeof a !== 'object') return { id: `account-${i}`, groups: [], wecom: {} }
    if (typeof a.id === 'string') {
      if (ids.has(a.id)) problems.push(`${at}.id：账号 id“${a.id}”重复`)
      ids.add(a.id)
    }
    const secret = (name: string | undefined, what: string): string | undefined => {
      // a malformed name is reported by the schema
      if (typeof name !== 'string' || !envName.safeParse(name).success) return undefined
      const value = env[name]
      // a problem names the variable, never what it holds
      if (!value) problems.push(`${at}：环境变量 ${name} 未设置（应为${what}）`)
      return value || undefined
    }
    const puppet = typeof a.puppet === 'string' ? a.puppet : 'mock'
    if (puppet === 'wecom' && !a.wecom) problems.push(`${at}.wecom：企业微信账号需要 wecom: { botId: 环境变量名, secret: 环境变量名 }（存放该机器人的 Bot ID 和 Secret）`)
    const keys = (Array.isArray(a.groups) ? a.groups : []).flatMap((name, j) => {
      if (typeof name !== 'string') return []
      const g = groups.find((x) => x.key === name || x.topic === name || x.id === name)
      if (!g) {
        problems.push(`${at}.groups[${j}]：“${name}”不是已配置的学习群（填群名或群 id）`)
        return []
      }
      const other = hostOf.get(g.key)
      if (other !== undefined && other.index !== i) problems.push(`${at}.groups[${j}]：群“${name}”已分给账号“${other.id}”，一个群只能由一个账号负责`)
      hostOf.set(g.key, { index: i, id: String(a.id) })
      return [g.key]
    })
    return {
      id: String(a.id), puppet, groups: [...new Set(keys)],
      ...(typeof a.sendIntervalMs === 'number' ? { sendIntervalMs: a.sendIntervalMs } : {}),
      puppetToken: secret(a.token, '该账号的 Wechaty puppet 服务 token'),
      wecom: a.wecom && typeof a.wecom === 'object'
        ? { botId: secret(a.wecom.botId, '该账号的企业微信机器人 Bot ID'), secret: secret(a.wecom.secret, '该账号的企业微信机器人 Secret'), wsUrl: secret(a.wecom.wsUrl, '企业微信长连接地址') }
        : {},
    }
  })
  // a WeCom bot sees any chatid as a room, so "the account that sees the room" means nothing there
  if (accounts.length > 1 && accounts.some((a) => a.puppet === 'wecom')) {
    for (const g of groups) {
      if (!hostOf.has(g.key)) problems.push(`accounts：群“${g.topic ?? g.key}”没有分给任何账号（有企业微信账号时，每个群都要写进某个账号的 groups：企业微信机器人看不出自己在哪些群里）`)
    }
  }
  return accounts
}

/**
 * Tie a role entry to a platform id. A plain string is an id, unless it is only a name in the
 * operator's `members:` map (id -> name), which ties it to that id; `{ name }` alone is looked up
 * in `members:` the same way. A contact's own nickname never counts: members choose those.
 */
function resolvePerson(p: z.infer<typeof personEntry>, members: Record<string, string>): RolePerson {
  const byName = (name: string) => Object.keys(members).find((id) => members[id] === name)
  if (typeof p === 'string') {
    if (p in members) return { id: p, name: members[p], entry: p }
    const id = byName(p)
    return id ? { id, name: p, entry: p } : { id: p, entry: p }
  }
  const entry = p.id ? (p.name ? `${p.id}（${p.name}）` : p.id) : p.name!
  if (p.id) return { id: p.id, name: p.name ?? members[p.id], entry }
  const id = byName(p.name!)
  return id ? { id, name: p.name, entry } : { name: p.name, entry }
}

/** True for a string that can be a platform id (WeChat wxid or 微信号, WeCom userid, mock ids). */
export function looksLikeId(s: string): boolean {
  return /^[A-Za-z0-9_.@-]+$/.test(s)
}

/** Label of a role holder for people: the name beside the id, else the id. */
export function personLabel(p: RolePerson): string {
  return p.name ?? p.id ?? p.entry
}

/** Find the configured group a room belongs to, by room id first, then by topic. */
export function findGroup(config: Config, room: { id: string; topic?: string }): GroupConfig | undefined {
  return config.groups.find((g) => g.id === room.id) ?? config.groups.find((g) => !g.id && g.topic === room.topic)
}

/** Display name of a group: its topic, else its id. */
export function groupName(g: Pick<GroupConfig, 'topic' | 'key'>): string {
  return g.topic ?? g.key
}

/** Find a configured group by its key, topic or id (as typed in CLI flags and schedules). */
export function groupByName(config: Config, name: string): GroupConfig | undefined {
  return config.groups.find((g) => g.key === name || g.topic === name || g.id === name)
}

/** A `dues` schedule without a cron posts on the 1st of each month at 09:00. */
function withDuesCron(raw: unknown): unknown {
  const o = raw && typeof raw === 'object' ? raw as Record<string, unknown> : undefined
  if (!o || !Array.isArray(o.schedules)) return raw
  const schedules = o.schedules.map((s: unknown) => (s && typeof s === 'object' && (s as { kind?: unknown }).kind === 'dues' && (s as { cron?: unknown }).cron === undefined
    ? { ...s, cron: '0 9 1 * *' }
    : s))
  return { ...o, schedules }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.length ? formatPath(issue.path) : '（顶层）'
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${at}：未知的配置项 ${issue.keys.map((k) => `“${k}”`).join('、')}（是否拼写错误？）`
    case 'invalid_type':
      return issue.input === undefined
        ? `${at}：缺少必填项，应为${typeName(issue.expected)}`
        : `${at}：应为${typeName(issue.expected)}，实际是${typeName(typeof issue.input)}`
    case 'invalid_value':
      return `${at}：应为 ${issue.values.map((v) => JSON.stringify(v)).join(' | ')} 之一`
    case 'too_small':
      return `${at}：${/[\u4e00-\u9fff]/.test(issue.message) ? issue.message : `不能小于 ${issue.minimum}`}`
    case 'too_big':
      return `${at}：不能大于 ${issue.maximum}`
    default:
      return `${at}：${/[\u4e00-\u9fff]/.test(issue.message) ? issue.message : '格式不正确'}`
  }
}

function formatPath(p: PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('')
}

function typeName(t: string): string {
  const map: Record<string, string> = {
    string: '文本', number: '数字', boolean: 'true/false', array: '列表', object: '键值对', record: '键值对',
    int: '整数', undefined: '空', null: '空',
  }
  return map[t] ?? t
}

const WEBHOOK_KEY = /^[A-Za-z0-9_-]{4,128}$/

/** A group robot's key, or an http(s) webhook URL that carries one as `?key=`. */
function isWebhookValue(v: string): boolean {
  if (WEBHOOK_KEY.test(v)) return true
  if (!/^https?:\/\//.test(v)) return false
  try {
    return WEBHOOK_KEY.test(new URL(v).searchParams.get('key') ?? '')
  } catch {
    return false
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o)
    for (const v of Object.values(o)) deepFreeze(v)
  }
  return o
}
