// Broadcast between official realtime-js clients through tandem-server, over
// the WebSocket (self, ack, binary payloads, both protocol versions) and the
// REST endpoints (batch, single, send() falling back to REST).
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after } from 'node:test'

import {
  bytesOf, closeAllClients, exitWhenDone, group, join, newClient, record, test, VSNS,
} from '../lib/realtime-client.mjs'
import { env, makeToken, uniqueName } from '../lib/realtime-env.mjs'

after(async () => {
  await closeAllClients()
  exitWhenDone()
})

const msg = (event, payload) => ({ type: 'broadcast', event, payload })

/** Two clients on one topic, each with a recorder of event 'msg'. */
async function pair (vsn, configA, configB = {}) {
  const topic = uniqueName('bc')
  const a = newClient(vsn)
  const b = newClient(vsn)
  const chanA = a.channel(topic, { config: { broadcast: configA } })
  const chanB = b.channel(topic, { config: { broadcast: configB } })
  const gotA = record(chanA, 'broadcast', { event: 'msg' })
  const gotB = record(chanB, 'broadcast', { event: 'msg' })
  await join(chanA)
  await join(chanB)
  return { topic, a, b, chanA, chanB, gotA, gotB }
}

for (const vsn of VSNS) {
  group(`broadcast over the socket, vsn ${vsn}`, () => {
    test('ack:true resolves ok, the other client receives, no echo without self', async () => {
      const { chanA, chanB, gotA, gotB } = await pair(vsn, { ack: true, self: false }, { ack: true })
      const first = { n: 1, text: 'héllo ✓', list: [1, 2.5, null, true], nested: { deep: { x: 'y' } } }

      // With ack the server replies after the fan-out, so an echo (if any)
      // would already be here when send() resolves.
      assert.equal(await chanA.send(msg('msg', first)), 'ok')
      assert.deepEqual(await gotB.waitFor(), msg('msg', first))
      assert.deepEqual(gotA.items, [], 'a client without self:true must not get its own broadcast')

      assert.equal(await chanB.send(msg('msg', { n: 2 })), 'ok')
      assert.deepEqual(await gotA.waitFor(), msg('msg', { n: 2 }))
      assert.deepEqual(gotA.items, [msg('msg', { n: 2 })])
      assert.deepEqual(gotB.items, [msg('msg', first)])
    })

    test('self:true echoes to the sender as well as the others', async () => {
      const { chanA, gotA, gotB } = await pair(vsn, { ack: true, self: true })

      assert.equal(await chanA.send(msg('msg', { n: 7 })), 'ok')
      assert.deepEqual(gotA.items, [msg('msg', { n: 7 })], 'the echo arrives before the ack')
      assert.deepEqual(await gotB.waitFor(), msg('msg', { n: 7 }))
    })

    test('ack:false resolves ok at once and still delivers, in order', async () => {
      const { chanA, gotA, gotB } = await pair(vsn, { ack: false, self: false })

      for (let n = 1; n <= 5; n++) assert.equal(await chanA.send(msg('msg', { n })), 'ok')
      const items = await gotB.waitForCount(5)
      assert.deepEqual(items, [1, 2, 3, 4, 5].map((n) => msg('msg', { n })))
      assert.deepEqual(gotA.items, [])
    })

    test('listeners match events case-insensitively and by *', async () => {
      const topic = uniqueName('bc')
      const a = newClient(vsn)
      const b = newClient(vsn)
      const chanA = a.channel(topic, { config: { broadcast: { ack: true } } })
      const chanB = b.channel(topic)
      const all = record(chanB, 'broadcast', { event: '*' })
      const upper = record(chanB, 'broadcast', { event: 'CURSOR' })
      await join(chanA)
      await join(chanB)

      assert.equal(await chanA.send(msg('cursor', { x: 1 })), 'ok')
      assert.equal(await chanA.send(msg('other', { y: 2 })), 'ok')
      await all.waitForCount(2)
      assert.deepEqual(all.items, [msg('cursor', { x: 1 }), msg('other', { y: 2 })])
      assert.deepEqual(upper.items, [msg('cursor', { x: 1 })])
    })

    if (vsn === '2.0.0') {
      test('an ArrayBuffer payload arrives as the same bytes; 1.0.0 peers never see it', async () => {
        const topic = uniqueName('bin')
        const a = newClient(vsn)
        const b = newClient(vsn)
        const old = newClient('1.0.0')
        const chanA = a.channel(topic, { config: { broadcast: { ack: true } } })
        const chanB = b.channel(topic)
        const chanOld = old.channel(topic)
        const gotB = record(chanB, 'broadcast', { event: '*' })
        const gotOld = record(chanOld, 'broadcast', { event: '*' })
        await join(chanA)
        await join(chanB)
        await join(chanOld)

        const bytes = new Uint8Array([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0x7b, 0x22])
        assert.equal(await chanA.send(msg('blob', bytes.buffer)), 'ok')
        const received = await gotB.waitFor()
        assert.equal(received.type, 'broadcast')
        assert.equal(received.event, 'blob')
        assert.ok(received.payload instanceof ArrayBuffer, 'a binary payload is delivered as an ArrayBuffer')
        assert.deepEqual(bytesOf(received.payload), [...bytes])
        assert.equal(received.meta, undefined)

        // A JSON broadcast after it reaches the 1.0.0 client, which cannot
        // represent the binary one and must have skipped it.
        assert.equal(await chanA.send(msg('after', { ok: true })), 'ok')
        assert.deepEqual(await gotOld.waitFor(), msg('after', { ok: true }))
        assert.deepEqual(gotOld.items, [msg('after', { ok: true })])
        assert.deepEqual((await gotB.waitForCount(2))[1], msg('after', { ok: true }))
      })

      test('an empty ArrayBuffer payload', async () => {
        const { chanA, gotB } = await pair(vsn, { ack: true })

        assert.equal(await chanA.send(msg('msg', new ArrayBuffer(0))), 'ok')
        const received = await gotB.waitFor()
        assert.ok(received.payload instanceof ArrayBuffer)
        assert.equal(received.payload.byteLength, 0)
      })
    }
  })
}

group('broadcast between protocol versions', () => {
  test('1.0.0 and 2.0.0 clients on one topic hear each other', async () => {
    const topic = uniqueName('mixed')
    const v1 = newClient('1.0.0')
    const v2 = newClient('2.0.0')
    const chan1 = v1.channel(topic, { config: { broadcast: { ack: true } } })
    const chan2 = v2.channel(topic, { config: { broadcast: { ack: true } } })
    const got1 = record(chan1, 'broadcast', { event: '*' })
    const got2 = record(chan2, 'broadcast', { event: '*' })
    await join(chan1)
    await join(chan2)

    const fromV1 = { from: 'v1', list: [1, 'two', { three: 3 }] }
    const fromV2 = { from: 'v2', unicode: 'żółw 🐢' }
    assert.equal(await chan1.send(msg('hello', fromV1)), 'ok')
    assert.deepEqual(await got2.waitFor(), msg('hello', fromV1))
    assert.equal(await chan2.send(msg('hello', fromV2)), 'ok')
    assert.deepEqual(await got1.waitFor(), msg('hello', fromV2))
    assert.deepEqual(got1.items, [msg('hello', fromV2)])
    assert.deepEqual(got2.items, [msg('hello', fromV1)])
  })
})

for (const vsn of VSNS) {
  group(`REST broadcast to a ${vsn} subscriber`, () => {
    async function subscriber () {
      const topic = uniqueName('rest')
      const client = newClient(vsn)
      const channel = client.channel(topic)
      const got = record(channel, 'broadcast', { event: '*' })
      await join(channel)
      return { topic, got }
    }

    // A client that never connects: channel() does not open the socket.
    const restClient = () => newClient(vsn)

    test('POST /realtime/v1/api/broadcast with the apikey header (202, delivered in order, id as meta)', async () => {
      const { topic, got } = await subscriber()
      const id = randomUUID()
      const response = await fetch(`${env.url}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: { apikey: env.anonKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          messages: [
            { topic, event: 'rest', payload: { n: 1 } },
            { topic, event: 'rest', payload: { n: 2, s: 'ü' }, id },
            { topic: `${topic}-nobody`, event: 'rest', payload: { n: 3 } },
          ],
        }),
      })
      assert.equal(response.status, 202)
      assert.equal(await response.text(), '')
      const items = await got.waitForCount(2)
      assert.deepEqual(items, [
        msg('rest', { n: 1 }),
        { ...msg('rest', { n: 2, s: 'ü' }), meta: { id } },
      ])
    })

    test('REST auth: Bearer token accepted, bad or missing token gives 401 Unauthorized', async () => {
      const { topic, got } = await subscriber()
      const body = JSON.stringify({ messages: [{ topic, event: 'auth', payload: { ok: 1 } }] })

      const bearer = await fetch(`${env.url}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${env.serviceKey}`, 'Content-Type': 'application/json' },
        body,
      })
      assert.equal(bearer.status, 202)
      assert.deepEqual(await got.waitFor(), msg('auth', { ok: 1 }))

      for (const headers of [
        { apikey: makeToken({ secret: 'not-the-server-secret-0123456789abcdef' }) },
        { apikey: makeToken({ ttl: -60 }) },
        {},
      ]) {
        const refused = await fetch(`${env.url}/realtime/v1/api/broadcast`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body,
        })
        assert.equal(refused.status, 401, `headers ${JSON.stringify(Object.keys(headers))}`)
        assert.deepEqual(await refused.json(), { message: 'Unauthorized' })
      }
      assert.equal(got.items.length, 1)
    })

    test('channel.httpSend() uses the single-message endpoint', async () => {
      const { topic, got } = await subscriber()
      const channel = restClient().channel(topic)

      assert.deepEqual(await channel.httpSend('single', { y: [1, 2] }), { success: true })
      assert.deepEqual(await got.waitFor(), msg('single', { y: [1, 2] }))
    })

    if (vsn === '2.0.0') {
      test('channel.httpSend() with binary data arrives as an ArrayBuffer', async () => {
        const { topic, got } = await subscriber()
        const channel = restClient().channel(topic)

        assert.deepEqual(await channel.httpSend('bytes', new Uint8Array([9, 8, 7, 0, 255])), { success: true })
        const received = await got.waitFor()
        assert.equal(received.event, 'bytes')
        assert.ok(received.payload instanceof ArrayBuffer)
        assert.deepEqual(bytesOf(received.payload), [9, 8, 7, 0, 255])
      })
    }

    test('send() on an unjoined channel falls back to REST and resolves ok', async () => {
      const { topic, got } = await subscriber()
      const channel = restClient().channel(topic)
      const warn = console.warn
      console.warn = () => {} // realtime-js warns that the fallback is deprecated
      try {
        assert.equal(await channel.send(msg('fallback', { via: 'rest' })), 'ok')
      } finally {
        console.warn = warn
      }
      assert.deepEqual(await got.waitFor(), msg('fallback', { via: 'rest' }))
    })
  })
}
