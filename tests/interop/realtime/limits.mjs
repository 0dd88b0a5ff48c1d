// Payload size limits, seen from realtime-js. The server runs with
// --max-payload-kb 1, so anything over 1 500 bytes (Supabase's kb * 1000 +
// 500) is refused: with ack the send resolves 'error', without it the message
// is dropped, the connection survives either way; an oversized presence
// payload closes the channel; REST answers 422.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after } from 'node:test'

import {
  closeAllClients, exitWhenDone, group, join, newClient, record, test, VSNS,
} from '../lib/realtime-client.mjs'
import { env, uniqueName } from '../lib/realtime-env.mjs'

after(async () => {
  await closeAllClients()
  exitWhenDone()
})

const msg = (event, payload) => ({ type: 'broadcast', event, payload })
const BIG = { big: 'x'.repeat(3000) }
const FITS = { fits: 'y'.repeat(1000) }

async function pair (vsn, ack) {
  const topic = uniqueName('lim')
  const a = newClient(vsn)
  const b = newClient(vsn)
  const chanA = a.channel(topic, { config: { broadcast: { ack } } })
  const chanB = b.channel(topic)
  const gotB = record(chanB, 'broadcast', { event: '*' })
  await join(chanA)
  await join(chanB)
  return { topic, a, chanA, chanB, gotB }
}

for (const vsn of VSNS) {
  group(`payload limits, vsn ${vsn}`, () => {
    test('with ack: an oversized broadcast resolves error, is not delivered, the connection survives', async () => {
      const { a, chanA, gotB } = await pair(vsn, true)

      assert.equal(await chanA.send(msg('m', BIG)), 'error')
      const reply = a.tandemFrames.items.find((f) => f.event === 'phx_reply' && f.status === 'error')
      assert.deepEqual(reply.payload, { status: 'error', response: 'payload_size_exceeded' })

      assert.ok(a.isConnected())
      assert.equal(chanA.state, 'joined')
      assert.equal(await chanA.send(msg('m', FITS)), 'ok')
      assert.deepEqual(await gotB.waitFor(), msg('m', FITS))
      assert.deepEqual(gotB.items, [msg('m', FITS)], 'the oversized message never arrived')
    })

    test('without ack: an oversized broadcast is dropped silently', async () => {
      const { a, chanA, gotB } = await pair(vsn, false)

      assert.equal(await chanA.send(msg('m', BIG)), 'ok') // resolved locally
      assert.equal(await chanA.send(msg('m', { after: 1 })), 'ok')
      assert.deepEqual(await gotB.waitFor(), msg('m', { after: 1 }))
      assert.deepEqual(gotB.items, [msg('m', { after: 1 })])
      assert.ok(a.isConnected())
      assert.equal(chanA.state, 'joined')
    })

    if (vsn === '2.0.0') {
      test('an oversized binary broadcast is refused too', async () => {
        const { chanA, gotB } = await pair(vsn, true)

        assert.equal(await chanA.send(msg('bin', new Uint8Array(4000).buffer)), 'error')
        assert.equal(await chanA.send(msg('bin', new Uint8Array(1000).buffer)), 'ok')
        const received = await gotB.waitFor()
        assert.equal(received.payload.byteLength, 1000)
        assert.equal(gotB.items.length, 1)
      })
    }

    test('an oversized presence payload closes the channel: Track message size exceeded', async () => {
      const topic = uniqueName('lim')
      const client = newClient(vsn)
      const channel = client.channel(topic, { config: { presence: { key: 'big' } } })
      channel.on('presence', { event: 'sync' }, () => {})
      const system = record(channel, 'system')
      const statuses = await join(channel)

      channel.track(BIG) // not answered: the channel is closed instead
      assert.deepEqual(await system.waitFor(), {
        extension: 'system', status: 'error', message: 'Track message size exceeded', channel: topic,
      })
      await statuses.waitFor((s) => s.status === 'CLOSED', { what: 'CLOSED' })
      assert.ok(client.isConnected())
    })
  })
}

group('payload limits over REST', () => {
  test('batch: 422 with the field error, nothing delivered', async () => {
    const topic = uniqueName('lim')
    const client = newClient('2.0.0')
    const channel = client.channel(topic)
    const got = record(channel, 'broadcast', { event: '*' })
    await join(channel)

    const response = await fetch(`${env.url}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: env.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic, event: 'big', payload: BIG }] }),
    })
    assert.equal(response.status, 422)
    assert.deepEqual(await response.json(),
                     { errors: { messages: [{ payload: ['Payload size exceeds tenant limit'] }] } })

    // A message that fits still goes through.
    const ok = await fetch(`${env.url}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: env.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic, event: 'fits', payload: FITS }] }),
    })
    assert.equal(ok.status, 202)
    assert.deepEqual(await got.waitFor(), msg('fits', FITS))
    assert.equal(got.items.length, 1)
  })

  test('single message endpoint: 422, and httpSend() rejects', async () => {
    const topic = uniqueName('lim')
    const response = await fetch(`${env.url}/realtime/v1/api/broadcast/${topic}/events/big`, {
      method: 'POST',
      headers: { apikey: env.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify(BIG),
    })
    assert.equal(response.status, 422)
    await response.body?.cancel()

    const channel = newClient('2.0.0').channel(topic)
    await assert.rejects(channel.httpSend('big', BIG), (error) => error instanceof Error && error.message !== '')
  })
})
