import { describe, expect, it } from 'vitest'
import { createOutbox } from '../../src/bot/outbox.ts'
import { SendError } from '../../src/send/send-error.ts'
import { captureLog as capture } from '../support/deps.ts'

function target(id: string, failures = 0) {
  const said: string[] = []
  let left = failures
  return {
    said,
    contact: {
      id,
      async say(text: string) {
        if (left-- > 0) throw new Error('network down')
        said.push(text)
      },
    } as never,
  }
}

describe('outbox', () => {
  it('splits a long reply and keeps the order of everything queued', async () => {
    const { log } = capture()
    const outbox = createOutbox({ log, intervalMs: 0, maxBytes: 300, retries: 0 })
    const t = target('room-1')
    const long = Array.from({ length: 10 }, (_, i) => `第${i + 1}段：党员必须履行义务，遵守党的纪律。`).join('\n')
    await Promise.all([outbox.send(t.contact, long), outbox.send(t.contact, '最后一条')])
    expect(t.said.length).toBeGreaterThan(2)
    for (const m of t.said) expect(Buffer.byteLength(m)).toBeLessThanOrEqual(300)
    expect(t.said.at(-1)).toBe('最后一条')
    expect(t.said.slice(0, -1).join('\n')).toBe(long)
  })

  it('retries a failed send a bounded number of times', async () => {
    const { log, lines } = capture()
    const outbox = createOutbox({ log, intervalMs: 0, maxBytes: 2000, retries: 2, retryBaseMs: 1 })
    const flaky = target('room-2', 2)
    await outbox.send(flaky.contact, '通知')
    expect(flaky.said).toEqual(['通知'])
    expect(lines.filter((l) => l.msg === 'send failed, retrying')).toHaveLength(2)

    const dead = target('room-3', 100)
    await expect(outbox.send(dead.contact, '通知')).rejects.toBeInstanceOf(SendError)
    const failed = lines.find((l) => l.msg === 'send failed')
    expect(failed).toMatchObject({ conversation: 'room-3', attempts: 3 })
    // a failure does not block what comes after it
    const next = target('room-4')
    await outbox.send(next.contact, '下一条')
    expect(next.said).toEqual(['下一条'])
  })

  it('does not repeat a send the platform marks as not to be retried', async () => {
    const { log } = capture()
    const outbox = createOutbox({ log, intervalMs: 0, maxBytes: 2000, retries: 3, retryBaseMs: 1 })
    let calls = 0
    const contact = { id: 'room-5', async say() { calls++; throw new SendError('ack timeout', { retryable: false }) } } as never
    const failure = await outbox.send(contact, '通知').catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(SendError)
    // the scheduler sees it too and does not send again
    expect((failure as SendError).retryable).toBe(false)
    expect(calls).toBe(1)
  })

  it('does not hold a reply to one conversation behind another conversation\'s backoff', async () => {
    const { log } = capture()
    let release = () => {}
    const backoff = () => new Promise<void>((resolve) => { release = resolve })
    const outbox = createOutbox({ log, intervalMs: 0, maxBytes: 2000, retries: 1, retryBaseMs: 1, sleep: backoff })
    const flaky = target('room-6', 1)
    const calm = target('room-7')
    const first = outbox.send(flaky.contact, '第一条')
    await outbox.send(calm.contact, '另一个群的回复')
    expect(calm.said).toEqual(['另一个群的回复'])
    expect(flaky.said).toEqual([])
    release()
    await first
    expect(flaky.said).toEqual(['第一条'])
  })
})

describe('outbox bound per conversation', () => {
  it('refuses to queue past maxQueued messages for one conversation, logs what it dropped, and keeps other conversations going', async () => {
    const { log, lines } = capture()
    const outbox = createOutbox({ log, intervalMs: 0, maxBytes: 2000, retries: 0, maxQueued: 5 })
    // a platform that does not answer yet: everything queued waits
    let open!: () => void
    const gate = new Promise<void>((resolve) => { open = resolve })
    const said: string[] = []
    const slow = { id: 'room-flood', async say(text: string) { await gate; said.push(text) } } as never
    const results = Array.from({ length: 8 }, (_, i) => outbox.send(slow, `第${i + 1}条`).then(() => 'sent', (err: Error) => err.name))
    const other = target('room-quiet')
    const quiet = outbox.send(other.contact, '别的群照常发送')
    open()
    expect(await Promise.all(results)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'OutboxFullError', 'OutboxFullError', 'OutboxFullError'])
    await quiet
    expect(said).toEqual(['第1条', '第2条', '第3条', '第4条', '第5条'])
    expect(other.said).toEqual(['别的群照常发送'])
    const dropped = lines.filter((l) => l.msg === 'outbox full for this conversation; message dropped')
    expect(dropped.map((l) => l.text)).toEqual(['第6条', '第7条', '第8条'])
    expect(dropped[0]).toMatchObject({ conversation: 'room-flood', maxQueued: 5 })
    // once drained, the conversation takes messages again
    await outbox.send(slow, '恢复后')
    expect(said.at(-1)).toBe('恢复后')
  })
})
