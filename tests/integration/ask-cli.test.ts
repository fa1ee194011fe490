import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '..', '..')
const shared = '../shared/materials'
// no config file and no LLM: the commands must work offline on --materials alone
const env: NodeJS.ProcessEnv = { ...process.env, LLM_API_KEY: '', REDIS_URL: '' }
delete env.STUDYBOT_CONFIG

function studybot(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/studybot.js', ...args], { cwd: root, input, encoding: 'utf8', env, timeout: 60_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
const jsonLines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l))

describe('studybot search and ask on the shared materials', () => {
  it('search --jsonl ranks the article that answers each question first', () => {
    const r = studybot(['search', '--materials', shared, '--k', '3', '--jsonl'], '预备党员的预备期是多久？\n党费\n')
    expect(r.code).toBe(0)
    const [first, second] = jsonLines(r.out)
    expect(first.q).toBe('预备党员的预备期是多久？')
    expect(first.hits).toHaveLength(3)
    expect(first.hits[0]).toMatchObject({ doc: 'dangzhang_2022.txt', citation: '《中国共产党章程》第一章 党员 第七条' })
    expect(typeof first.hits[0].score).toBe('number')
    expect(second.hits[0].text).toContain('党费')
  })

  it('search --explain shows how the question was read and what each ranking stage gave each hit', () => {
    const r = studybot(['search', '--materials', shared, '--k', '2', '--explain', '2024年政府工作报告里城镇新增就业的预期目标是多少？'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('所问类型：数量')
    expect(r.out).toContain('点名文件：zhengfu_gongzuo_baogao_2024_zhaideng.txt（2024年）')
    const first = r.out.split('\n2. ')[0]!
    expect(first).toContain('1. [')
    expect(first).toContain('《李强作的政府工作报告（摘登）》')
    for (const stage of ['词项匹配', '提问词覆盖率', '所在文件整体相关度', '提问点名的文件', '原文短语覆盖', '最佳答案句覆盖']) expect(first).toContain(stage)
    expect(first).toMatch(/答案句（覆盖 [0-9.]+，含所问类型）：.*1200万人以上/)
  })

  it('ask --jsonl answers a question, a pasted quiz question, and refuses one the materials do not cover', () => {
    const quiz = '发展党员，必须把（ ）放在首位，经过党的支部，坚持（ ）的原则。 A. 思想状况，个别吸收 B. 政治标准，个别吸收 C. 群众口碑，集体吸收'
    const r = studybot(['ask', '--materials', shared, '--jsonl'], `预备党员的预备期是多久？\n${quiz}\n中国女排在哪一年首次获得奥运会冠军？\n`)
    expect(r.code).toBe(0)
    const [natural, pasted, unknown] = jsonLines(r.out)
    expect(natural.answered).toBe(true)
    expect(natural.text).toContain('一年')
    expect(natural.text).toContain('第七条')
    expect(natural.sources[0]).toEqual({ doc: 'dangzhang_2022.txt', citation: '《中国共产党章程》第一章 党员 第七条' })
    expect(pasted.answered).toBe(true)
    expect(pasted.text).toContain('政治标准')
    expect(unknown.answered).toBe(false)
    expect(unknown.text).toContain('没有找到')
    expect(unknown.sources).toEqual([])
  })

  it('ask "问题" prints the reply as the bot would send it', () => {
    const r = studybot(['ask', '--materials', shared, '党员的党龄从什么时候算起？'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('从预备期满转为正式党员之日算起')
    expect(r.out).toContain('——《中国共产党章程》')
  })

  it('ingest prints documents, passages and time', () => {
    const r = studybot(['ingest', shared])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/共 11 个文档，\d+ 个段落，用时 [\d.]+ 秒/)
  })
})
