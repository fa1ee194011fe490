import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import path from 'node:path'
import { parseConfig } from '../../src/config.ts'
import { startApp, type App } from '../../src/main.ts'
import { chooseAccounts } from '../../src/bot/choose-puppet.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { allSchedules } from '../../src/schedules/definitions.ts'
import { openLibrary } from '../../src/cli/library.ts'
import { startTestRedis } from '../support/redis.ts'
import { startFakeWecom, type FakeWecom, type ReceivedFrame } from '../support/fake-wecom.ts'
import { wecomConfig, WECOM_BOT } from '../support/wecom-bot.ts'
import { repoRoot } from '../support/harness.ts'
import { captureLog, testDeps } from '../support/deps.ts'
import { tempDir } from '../support/temp-dir.ts'

/**
 * Two WeCom intelligent bots in one process, as `studybot start` chooses them from `accounts:`
 * (secrets from the variables each account names), each against its own fake WeCom server.
 */
describe('two WeCom accounts in one process', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>
  let client: Redis
  let east: FakeWecom
  let west: FakeWecom
  let app: App

  beforeAll(async () => {
    redis = await startTestRedis()
    east = await startFakeWecom({ botId: 'aib_east', secret: 'east-secret' })
    west = await startFakeWecom({ botId: 'aib_west', secret: 'west-secret' })
    const env = { EAST_ID: 'aib_east', EAST_SECRET: 'east-secret', EAST_WS: east.wsUrl, WEST_ID: 'aib_west', WEST_SECRET: 'west-secret', WEST_WS: west.wsUrl }
    const config = parseConfig(wecomConfig(tempDir('e2e-wecom-accounts'), {
      accounts: [
        { id: 'east', puppet: 'wecom', wecom: { botId: 'EAST_ID', secret: 'EAST_SECRET', wsUrl: 'EAST_WS' }, groups: ['wrGroupOne'] },
        { id: 'west', puppet: 'wecom', wecom: { botId: 'WEST_ID', secret: 'WEST_SECRET', wsUrl: 'WEST_WS' }, groups: ['wrGroupTwo'] },
      ],
      schedules: [{ id: 'notice', group: '*', cron: '0 9 29 2 *', kind: 'text', text: '本周学习安排：学习党章' }],
    }), path.join(repoRoot, 'config', 'test.yaml'), env)
    client = await connectRedis(redis.url)
    const capture = captureLog()
    const { deps } = await testDeps({ config, redis: client, library: await openLibrary(config, capture.log), capture })
    const choice = await chooseAccounts(config, capture.log)
    if (choice.kind !== 'puppets') throw new Error('expected two WeCom puppets')
    expect(choice.names).toEqual(['wecom', 'wecom'])
    app = await startApp({ deps, accounts: choice.accounts, jobs: () => [] })
  })
  afterAll(async () => {
    await app?.stop().catch(() => undefined)
    for (const a of app?.accounts ?? []) await a.bot.puppet.stop().catch(() => undefined)
    await client?.quit().catch(() => client.disconnect())
    await east?.close()
    await west?.close()
    await redis?.stop()
  })

  /** A member @-mentions the bot in a group on `fake`; resolves with the finished stream reply. */
  const askInGroup = async (fake: FakeWecom, chatid: string, userid: string, text: string): Promise<ReceivedFrame> => {
    const { reqId } = fake.pushGroupText({ chatid, userid, text, botName: WECOM_BOT.botName })
    return fake.waitForFrame('aibot_respond_msg', (f) => f.headers?.req_id === reqId && f.body?.stream?.finish === true && f.ack?.errcode === 0)
  }

  it("answers in each group through the bot that was @-ed there, and broadcasts through each group's own bot", async () => {
    const one = await askInGroup(east, 'wrGroupOne', 'zhangsan', '预备党员的预备期是多久？')
    expect(one.body.stream.content).toContain('一年')
    const two = await askInGroup(west, 'wrGroupTwo', 'lisi', '预备党员的预备期是多久？')
    expect(two.body.stream.content).toContain('一年')
    expect(east.framesOf('aibot_respond_msg').every((f) => f.headers?.req_id !== two.headers?.req_id)).toBe(true)

    const [def] = (await allSchedules(app.deps.config, app.deps.stores.schedules)).filter((d) => d.id === 'notice')
    await new Scheduler(app.deps, app.messenger).onSlot(def, Date.UTC(2028, 1, 29, 1, 0), false)
    const sentBy = (fake: FakeWecom) => fake.framesOf('aibot_send_msg').filter((f) => JSON.stringify(f.body).includes('本周学习安排') && f.ack?.errcode === 0).map((f) => f.body.chatid)
    expect(sentBy(east)).toEqual(['wrGroupOne'])
    expect(sentBy(west)).toEqual(['wrGroupTwo'])
  })
})
