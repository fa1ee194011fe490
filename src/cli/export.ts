import fs from 'node:fs'
import path from 'node:path'
import { groupByName, groupName } from '../config.ts'
import { createLogger } from '../log.ts'
import { exportGroup, exportQuizTable, FORMATS, WHATS, type ExportFormat, type ExportWhat } from '../export/export-group.ts'
import { parseCliArgs, runCommand } from './args.ts'
import { loadCliConfig, openDeps, UsageError } from './runtime.ts'
import { impossibleDate } from '../export/export-dates.ts'
import { writeFailureOf } from '../util/write-failure.ts'

const usage = '用法：studybot export --group <群名|群ID> --format xlsx|csv|md|json [--what reflections|quiz|points] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--assignment 任务ID] --out 文件路径 [--force] [--config 路径]'

function date(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`--${flag} 应为日期 YYYY-MM-DD，例如 2026-11-01（收到“${value}”）`)
  const impossible = impossibleDate(value)
  if (impossible) throw new UsageError(`--${flag} 应为日期 YYYY-MM-DD，例如 2026-11-01（收到“${value}”，这一天不存在：${impossible}）`)
  return value
}

const WHAT_LABEL: Record<ExportWhat, string> = { reflections: '篇心得', quiz: '条答题记录', points: '条月度积分' }

/**
 * `studybot export`: write one group's reflections (xlsx: with quiz and points sheets), quiz
 * answers (--what quiz) or monthly points (--what points) to a file; Redis from REDIS_URL, else
 * the bot's private server.
 */
export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand(async () => {
    const { values } = parseCliArgs(argv, {
      group: { type: 'string' }, format: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' },
      assignment: { type: 'string' }, out: { type: 'string' }, what: { type: 'string' }, force: { type: 'boolean' },
    })
    const problems: string[] = []
    if (!values.group) problems.push('缺少 --group（群名或群 ID）')
    if (!values.format) problems.push('缺少 --format（xlsx、csv、md 或 json）')
    else if (!(FORMATS as readonly string[]).includes(values.format)) problems.push(`--format 应为 xlsx、csv、md 或 json（收到“${values.format}”）`)
    if (!values.out) problems.push('缺少 --out（输出文件路径）')
    const what = (values.what ?? 'reflections') as ExportWhat
    if (!WHATS.includes(what)) problems.push(`--what 应为 reflections（心得）、quiz（答题情况）或 points（月度积分）（收到“${values.what}”）`)
    if (what !== 'reflections' && values.assignment) problems.push('--assignment 只用于导出心得')
    if (problems.length) throw new UsageError(`${problems.join('\n')}\n${usage}`)
    const since = date('since', values.since)
    const until = date('until', values.until)
    if (since && until && until < since) throw new UsageError('--until 不能早于 --since')

    const config = loadCliConfig(values.config, env)
    const group = groupByName(config, values.group!)
    if (!group) {
      throw new UsageError(`没有名为“${values.group}”的学习群。已配置的群：${config.groups.map(groupName).join('、')}`)
    }
    const out = path.resolve(values.out!)
    checkOut(out, values.format!, Boolean(values.force))

    const log = createLogger({ level: config.secrets.logLevel, fd: 2 })
    const { deps, close } = await openDeps(config, log, { persistent: true })
    try {
      const req = { format: values.format as ExportFormat, out, since, until, assignmentId: values.assignment }
      const count = await writeThenPlace(out, Boolean(values.force), (temp) => {
        const into = { ...req, out: temp }
        return what === 'reflections' ? exportGroup(deps, group, into) : exportQuizTable(deps, group, what, into)
      })
      process.stdout.write(count
        ? `已导出 ${count} ${WHAT_LABEL[what]}到 ${out}\n`
        : `${groupName(group)} 在所选范围内没有${WHAT_LABEL[what].slice(1)}，已写出只含表头的文件 ${out}\n`)
      return 0
    } finally {
      await close()
    }
  })
}

/** Refuse an --out that is a directory, an existing file or a symbolic link (the last two unless --force). */
function checkOut(out: string, format: string, force: boolean): void {
  if (!fs.existsSync(path.dirname(out))) throw new UsageError(`输出目录不存在：${path.dirname(out)}`)
  let stat: fs.Stats | undefined
  try {
    stat = fs.lstatSync(out)
  } catch {
    return
  }
  if (stat.isDirectory()) throw new UsageError(`--out 应为文件路径，“${out}”是一个目录。例如：--out ${path.join(out, `心得汇总.${format}`)}`)
  if (force) return
  if (stat.isSymbolicLink()) throw new UsageError(`“${out}”是一个符号链接，不会写入它指向的文件。请换一个文件名；确需替换这个链接时加 --force。`)
  throw new UsageError(`文件“${out}”已存在，不会覆盖。请换一个文件名；确需覆盖时加 --force。`)
}

/**
 * Write through a hidden temp file next to `out`, then put it in place: a failed export leaves
 * nothing behind, and without --force an `out` created meanwhile is not overwritten (link()
 * refuses an existing name and never follows a symbolic link). A write error is said in Chinese.
 */
async function writeThenPlace(out: string, force: boolean, write: (temp: string) => Promise<number>): Promise<number> {
  const temp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.tmp`)
  try {
    const count = await write(temp)
    if (force) fs.renameSync(temp, out)
    else placeNew(temp, out)
    return count
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`文件“${out}”已存在，不会覆盖。请换一个文件名；确需覆盖时加 --force。`)
    const failure = writeFailureOf(err)
    if (failure === 'disk-full') throw new UsageError(`导出失败：磁盘已满，无法写入 ${out}。请清理磁盘后再试。`)
    if (failure) throw new UsageError(`导出失败：无法写入 ${out}（${(err as NodeJS.ErrnoException).code}）。`)
    throw err
  } finally {
    fs.rmSync(temp, { force: true })
  }
}

function placeNew(temp: string, out: string): void {
  try {
    fs.linkSync(temp, out)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    // file systems without hard links: an exclusive copy, which does not follow a link either
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err
    fs.copyFileSync(temp, out, fs.constants.COPYFILE_EXCL)
  }
}
