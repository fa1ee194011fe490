import { describe, expect, it } from 'vitest'
import * as PUPPET from 'wechaty-puppet'
import { feedbackOf, messagePayloadOf, renderMentions, stripBotMention, textOf } from '../../src/puppet-wecom/frames-to-payloads.ts'

describe('WeCom frames to Wechaty payloads', () => {
  it('strips only the bot mention, keeping other members mentioned', () => {
    expect(stripBotMention('@学习助手 什么是初心？', '学习助手')).toBe('什么是初心？')
    expect(stripBotMention('@张三 @学习助手 帮他查一下', '学习助手')).toBe('@张三 帮他查一下')
    expect(stripBotMention('@Bot   #心得 今天学习了', undefined)).toBe('#心得 今天学习了')
  })

  it('reads text from voice and mixed messages', () => {
    const base = { msgid: 'm', chattype: 'single' as const, from: { userid: 'u' } }
    expect(textOf({ ...base, msgtype: 'voice', voice: { content: '语音转写' } })).toBe('语音转写')
    expect(textOf({ ...base, msgtype: 'mixed', mixed: { msg_item: [
      { msgtype: 'text', text: { content: '第一段' } }, { msgtype: 'image' }, { msgtype: 'text', text: { content: '第二段' } },
    ] } })).toBe('第一段\n第二段')
  })

  it('makes a group message a room message that mentions the bot', () => {
    const payload = messagePayloadOf({
      msgid: 'm1', chatid: 'wr1', chattype: 'group', from: { userid: 'u1' }, msgtype: 'text', text: { content: '@助手 你好' }, create_time: 1700000000,
    }, 'bot', '助手') as PUPPET.payloads.MessageRoom & PUPPET.payloads.MessageBase
    expect(payload).toMatchObject({ id: 'm1', roomId: 'wr1', talkerId: 'u1', text: '你好', mentionIdList: ['bot'], type: PUPPET.types.Message.Text })
  })

  it('keeps mentions as plain names, since <@userid> in the bot\'s markdown notifies nobody', () => {
    expect(renderMentions('@张三\u2005@李四 请交心得', ['张三', '李四'])).toBe('@张三 @李四 请交心得')
    expect(renderMentions('请交心得', ['张三'])).toBe('@张三 请交心得')
    expect(renderMentions('请交心得', [])).not.toMatch(/<@/)
  })

  it('reads a feedback_event nested under its type, as WeCom nests event data', () => {
    const data = { id: 'msg_1', type: 2, content: '答非所问', inaccurate_reason_list: [1] }
    expect(feedbackOf({ msgid: 'e', event: { eventtype: 'feedback_event', feedback_event: data } })).toEqual(data)
    expect(feedbackOf({ msgid: 'e', event: { eventtype: 'feedback_event' } })).toBeUndefined()
  })
})

describe('reply windows', () => {
  it('answers the mentioned asker in a group, and never turns a broadcast into a reply', async () => {
    const { createReplyWindows } = await import('../../src/puppet-wecom/reply-windows.ts')
    const { createManualClock } = await import('../../src/clock.ts')
    const clock = createManualClock(0)
    const windows = createReplyWindows({ lifetimeMs: 60_000, clock })
    windows.remember('group-1', { reqId: 'req-a', messageId: 'a', userid: 'zhangsan' })
    windows.remember('group-1', { reqId: 'req-b', messageId: 'b', userid: 'lisi' })
    // a broadcast mentions nobody who is waiting: it goes out proactively
    expect(windows.take('group-1', [], true)).toBeUndefined()
    expect(windows.take('group-1', ['lisi'], true)?.reqId).toBe('req-b')
    // in a private chat the waiting message is answered
    windows.remember('lisi', { reqId: 'req-c', messageId: 'c', userid: 'lisi' })
    expect(windows.take('lisi', [], false)?.reqId).toBe('req-c')
    clock.advance(61_000)
    expect(windows.take('group-1', ['zhangsan'], true)).toBeUndefined()
  })

  it('keeps an open stream past the first-frame window, and forgets a message that was released', async () => {
    const { createReplyWindows } = await import('../../src/puppet-wecom/reply-windows.ts')
    const { createManualClock } = await import('../../src/clock.ts')
    const clock = createManualClock(0)
    const windows = createReplyWindows({ lifetimeMs: 60_000, clock })
    windows.remember('lisi', { reqId: 'req-a', messageId: 'a', userid: 'lisi' })
    windows.find('lisi', 'a')!.stream = { id: 's1', startedAt: 0 }
    windows.remember('lisi', { reqId: 'req-b', messageId: 'b', userid: 'lisi' })
    clock.advance(61_000)
    expect(windows.take('lisi')?.stream?.id).toBe('s1')
    windows.remember('lisi', { reqId: 'req-c', messageId: 'c', userid: 'lisi' })
    expect(windows.release('lisi', 'c')?.reqId).toBe('req-c')
    expect(windows.take('lisi')).toBeUndefined()
  })
})
