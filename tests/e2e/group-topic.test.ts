import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRedis } from '../support/redis.ts'
import { startHarness, type Harness } from '../support/harness.ts'
import { until } from '../support/until.ts'
import type { RoomMessenger } from '../../src/bot/messenger.ts'

const G1 = '第一党支部学习群'
const essay = '今天学习了党章第一章，深刻认识到党员必须全心全意为人民服务，要在工作中发挥先锋模范作用。'

let server: Awaited<ReturnType<typeof startTestRedis>>
let h: Harness

beforeAll(async () => {
  server = await startTestRedis()
  h = await startHarness({ redisUrl: server.url })
})
afterAll(async () => {
  await h?.stop()
  await server?.stop()
})

describe('a group configured by topic', () => {
  it('is the room first seen with that topic; an outsider\'s room with the same name is ignored with a warning naming both ids', async () => {
    // the real group is seen first: its id is remembered
    const [help] = await h.say('小明', '#帮助', { room: G1 })
    expect(help.room).toBe(G1)
    const real = h.world.roomByTopic(G1)

    // an outsider creates a room with the same name and invites a member and the bot
    const outsider = h.world.mocker.createContact({ id: 'wxid_outsider', name: '外人' })
    const fake = h.world.mocker.createRoom({ id: 'fake_room@chatroom', topic: G1, memberIdList: [h.world.botUser.id, outsider.id, h.world.member('小明').id] })
    const before = h.sent.length
    outsider.say(`#心得 ${essay}`).to(fake)
    outsider.say('预备党员的预备期是多久？', [h.world.botUser]).to(fake)
    await until(() => h.logs.some((l) => l.msg?.startsWith('room has the topic of a configured group')), 'the impostor warning')
    await h.app.settled()

    const warning = h.logs.find((l) => l.msg?.startsWith('room has the topic of a configured group'))!
    expect(warning).toMatchObject({ roomId: 'fake_room@chatroom', groupRoomId: real.id })
    expect(h.sent.slice(before)).toEqual([])
    expect(await h.redis.xlen(h.keys.reflectionLog(G1))).toBe(0)

    // the real group still works, and scheduled sends go to it, not to the outsider's room
    const replies = await h.say('小明', `#心得 ${essay}`, { room: G1 })
    expect(replies.map((m) => m.text).join('\n')).toContain('已收到')
    const room = await (h.app.messenger as RoomMessenger).roomOf(G1)
    expect(room.id).toBe(real.id)
  })
})
