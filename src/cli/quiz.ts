import path from 'node:path'
import { groupByName, groupName, type Config, type GroupConfig } from '../config.ts'
import { createLogger } from '../log.ts'
import { createLibrary } from '../materials/library.ts'
import { BANK_HEADER, BankFileError, readBankFile } from '../quiz/bank-file.ts'
import { upcomingQuestions } from '../quiz/question-queue.ts'
import { questionText } from '../quiz/round-text.ts'
import { shownAnswer } from '../quiz/judge-answer.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, openDeps, UsageError } from './runtime.ts'
import { thesaurusWith } from '../materials/thesaurus.ts'

const usage = `用法：
  studybot quiz import 题库.xlsx|题库.csv --group <群名|群ID>   导入题库（表头：${BANK_HEADER}）
  studybot quiz preview --group <群名|群ID> [--n 5]              查看接下来要出的题（含答案）`

function pickGroup(config: Config, name: string | undefined): GroupConfig {
  if (!name) throw new UsageError(`缺少 --group（群名或群 ID）\n${usage}`)
  const group = groupByName(config, name)
  if (!group) throw new UsageError(`没有名为“${name}”的学习群。已配置的群：${config.groups.map(groupName).join('、')}`)
  return group
}

/** `studybot quiz import|preview`: a secretary's question bank, checked row by row and imported all or nothing. */
export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values, positionals } = parseCliArgs(argv, { group: { type: 'string' }, n: { type: 'string' } }, true)
    const [verb, file, ...extra] = positionals
    if (verb !== 'import' && verb !== 'preview') throw new UsageError(usage)
    if (extra.length || (verb === 'import' && !file) || (verb === 'preview' && file)) throw new UsageError(usage)
    const config = loadCliConfig(values.config, env)
    const group = pickGroup(config, values.group)
    const log = createLogger({ level: config.secrets.logLevel, fd: 2 })

    if (verb === 'import') {
      let parsed
      try {
        parsed = await readBankFile(path.resolve(file!))
      } catch (err) {
        if (err instanceof BankFileError) throw new UsageError(`无法导入 ${file}：${err.message}`)
        throw err
      }
      if (parsed.errors.length) {
        throw new UsageError([
          `题库 ${file} 有 ${parsed.errors.length} 处问题，没有导入任何题目：`,
          ...parsed.errors.map((e) => `  第 ${e.row} 行：${e.message}`),
          '改正后重新导入即可（已导入过的题不会重复）。',
        ].join('\n'))
      }
      const { deps, close } = await openDeps(config, log, { persistent: true })
      try {
        const { added, existing } = await deps.stores.quiz.importBank(group.key, parsed.questions)
        const total = (await deps.stores.quiz.bank(group.key)).length
        process.stdout.write(`已向“${groupName(group)}”导入 ${added} 道题${existing ? `（另有 ${existing} 道题库中已有，未重复导入）` : ''}。题库现有 ${total} 道题；每日一题先出题库中的题，出完后从学习材料生成。\n`)
        return 0
      } finally {
        await close()
      }
    }

    const n = Number(values.n ?? 5)
    if (!Number.isInteger(n) || n < 1 || n > 50) throw new UsageError('--n 应为 1 到 50 的整数')
    const { deps, close } = await openDeps(config, log, { persistent: true, library: () => createLibrary({ dir: config.materials, log, thesaurus: thesaurusWith(config.synonyms) }) })
    try {
      const next = await upcomingQuestions(deps, group, n)
      process.stdout.write(next.length
        ? `“${groupName(group)}”接下来的 ${next.length} 道题：\n\n${next.map((q, i) => `${i + 1}. [${q.id}] ${questionText(q, undefined)}\n   答案：${shownAnswer(q)}${q.citation ? `\n   出处：${q.citation}` : ''}`).join('\n\n')}\n`
        : `“${groupName(group)}”已没有可出的题目：请导入题库或添加学习材料。\n`)
      return 0
    } finally {
      deps.library.close()
      await close()
    }
  })
}
