import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { types } from 'wechaty-puppet'
import type { Message } from 'wechaty'
import { startTestRedis } from '../support/redis.ts'
import { startHarness, type Harness } from '../support/harness.ts'

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

const nextMessage = () => new Promise<Message>((resolve) => {
  const on = (m: Message) => { if (!m.self()) { h.app.bot.off('message', on); resolve(m) } }
  h.app.bot.on('message', on)
})

describe('message pipeline', () => {
  it('answers an @-mention in a configured room, @-mentioning the asker', async () => {
    const replies = await h.say('小明', '帮助', { mention: true })
    expect(replies).toHaveLength(1)
    expect(replies[0].room).toBe('第一党支部学习群')
    expect(replies[0].mentions).toEqual(['小明'])
    expect(replies[0].text).toContain('#心得')
  })

  it('ignores plain chatter that neither mentions the bot nor is a command', async () => {
    expect(await h.say('小明', '大家早上好')).toEqual([])
  })

  it('stays silent in a room that is not configured, and logs it', async () => {
    const other = h.world.mocker.createRoom({ topic: '闲聊群', memberIdList: [h.world.botUser.id, h.world.member('小明').id] })
    const received = nextMessage()
    h.world.member('小明').say('@学习助手 #帮助', [h.world.botUser]).to(other)
    await received
    await h.app.settled()
    expect(h.sent.filter((m) => m.room === '闲聊群')).toEqual([])
    expect(h.logs.some((l) => l.msg === 'mentioned in a room that is not configured' && l.topic === '闲聊群')).toBe(true)
  })

  it('handles the same message delivered twice only once', async () => {
    const received = nextMessage()
    const before = h.sent.length
    h.world.say('小红', '#帮助')
    const message = await received
    await h.app.settled()
    expect(h.sent.length).toBe(before + 1)
    const again = nextMessage()
    h.world.puppet.emit('message', { messageId: message.id })
    await again
    await h.app.settled()
    expect(h.sent.length).toBe(before + 1)
    expect(await h.redis.ttl(h.keys.handledMessage(message.id))).toBeGreaterThan(0)
  })

  it('ignores an old message replayed at login, but answers the same message when fresh', async () => {
    const talker = h.world.member('小刚')
    const room = h.world.roomByTopic('第一党支部学习群')
    const replay = async (id: string, timestamp: number) => {
      h.world.mocker.MessageMock.create({ id, talkerId: talker.id, roomId: room.id, text: '#帮助', timestamp, type: types.Message.Text, mentionIdList: [] })
      const received = nextMessage()
      h.world.puppet.emit('message', { messageId: id })
      await received
      await h.app.settled()
    }
    const before = h.sent.length
    await replay('replayed-old', Date.now() - 60 * 60 * 1000)
    expect(h.sent.length).toBe(before)
    await replay('replayed-fresh', Date.now())
    expect(h.sent.length).toBe(before + 1)
  })

  it('shows secretaries and organizers their own commands in #帮助', async () => {
    const [member] = await h.say('小明', '#帮助')
    const [secretary] = await h.say('张书记', '#帮助')
    const [organizer] = await h.say('李委员', '#帮助')
    expect(member.text).not.toContain('#定时')
    expect(member.text).not.toContain('#导出')
    expect(secretary.text).toContain('#定时')
    expect(secretary.text).toContain('#提醒')
    expect(secretary.text).not.toContain('#导出')
    expect(organizer.text).toContain('#导出')
    expect(organizer.text).not.toContain('#定时')
  })

  it('roles are per group: the first group secretary is a member in the second group', async () => {
    const [reply] = await h.say('张书记', '#帮助', { room: '第二党支部学习群' })
    expect(reply.room).toBe('第二党支部学习群')
    expect(reply.text).not.toContain('#定时')
  })

  it('answers a private message from a member of a configured group, privately', async () => {
    const replies = await h.say('小明', '#帮助', { private: true })
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatchObject({ room: null, to: '小明' })
  })

  it('ignores a private message from someone in no configured group', async () => {
    const stranger = h.world.mocker.createContact({ name: '陌生人' })
    const received = nextMessage()
    stranger.say('#帮助').to(h.world.botUser)
    await received
    await h.app.settled()
    expect(h.sent.filter((m) => m.to === '陌生人')).toEqual([])
  })

  it('tells the member about a command it does not know', async () => {
    const [reply] = await h.say('小明', '#点名')
    expect(reply.text).toContain('#帮助')
  })
})
