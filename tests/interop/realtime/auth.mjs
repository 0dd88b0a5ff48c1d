// Tokens and tandem-server's Realtime endpoint, seen from realtime-js: bad
// channel tokens refuse the join with Supabase's reason, an expiring token
// closes the channel, an in-band refresh keeps it, and a bad apikey keeps the
// socket from ever opening. Also the HTTP answers to refused upgrades.
// (The server runs with --join-error-delay-ms 0 --connect-error-delay-ms 0.)
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after } from 'node:test'

import {
  closeAllClients, exitWhenDone, group, join, newClient, record, sleep, subscribeRecorded, test,
  VSNS, WebSocket,
} from '../lib/realtime-client.mjs'
import { env, makeToken, uniqueName } from '../lib/realtime-env.mjs'

after(async () => {
  await closeAllClients()
  exitWhenDone()
})

const OTHER_SECRET = 'a-different-secret-than-the-servers-0123456789'

for (const vsn of VSNS) {
  group(`channel tokens, vsn ${vsn}`, () => {
    const refusals = [
      ['a token signed with another secret', () => makeToken({ secret: OTHER_SECRET }),
        (reason) => assert.equal(reason, 'JwtSignatureError: Failed to validate JWT signature')],
      ['an expired token', () => makeToken({ ttl: -30 }),
        (reason) => {
          const match = /^InvalidJWTToken: Token has expired (\d+) seconds ago$/.exec(reason)
          assert.ok(match, reason)
          assert.ok(Number(match[1]) >= 30 && Number(match[1]) <= 120, reason)
        }],
      ['a token without role', () => makeToken({ role: null }),
        (reason) => assert.equal(reason, 'InvalidJWTToken: Fields `role` and `exp` are required in JWT')],
      ['something that is not a JWT', () => 'not-a-jwt',
        (reason) => assert.equal(reason, 'MalformedJWT: The token provided is not a valid JWT')],
    ]

    for (const [what, token, check] of refusals) {
      test(`${what}: CHANNEL_ERROR with the server's reason, again on every rejoin`, async () => {
        const client = newClient(vsn)
        await client.setAuth(token())
        const channel = client.channel(uniqueName('auth'))
        const statuses = subscribeRecorded(channel)

        const first = await statuses.waitFor()
        assert.equal(first.status, 'CHANNEL_ERROR')
        check(first.err)
        // realtime-js rejoins after 1 s; the server refuses the same way.
        const second = await statuses.waitFor(() => true, { from: 1, what: 'the rejoin\'s status' })
        assert.equal(second.status, 'CHANNEL_ERROR')
        check(second.err)
        assert.ok(client.isConnected(), 'a refused join leaves the socket up')
        assert.ok(!statuses.items.some((s) => s.status === 'SUBSCRIBED'))
      })
    }

    test('a valid user token joins', async () => {
      const client = newClient(vsn)
      await client.setAuth(makeToken({ role: 'authenticated', extra: { sub: '0b9c5c47-3c8f-4e3c-9d1e-4b0e7a1c2f00' } }))
      await join(client.channel(uniqueName('auth')))
    })

    test('a channel whose token expires is closed with a system message; the socket stays', async () => {
      const client = newClient(vsn)
      await client.setAuth(makeToken({ ttl: 3 }))
      const topic = uniqueName('exp')
      const channel = client.channel(topic)
      const system = record(channel, 'system')
      const statuses = await join(channel)

      const message = await system.waitFor(() => true, { timeout: 20000, what: 'the expiry message' })
      assert.deepEqual({ ...message, message: undefined },
                       { extension: 'system', status: 'error', message: undefined, channel: topic })
      assert.match(message.message, /^Token has expired \d+ seconds ago$/)
      await statuses.waitFor((s) => s.status === 'CLOSED', { what: 'CLOSED' })
      assert.deepEqual(statuses.items.map((s) => s.status), ['SUBSCRIBED', 'CLOSED'])
      assert.ok(client.isConnected())
      assert.ok(!client.getChannels().includes(channel))
    })

    test('setAuth() with a fresh token before expiry keeps the channel open', async () => {
      const client = newClient(vsn)
      await client.setAuth(makeToken({ ttl: 3 }))
      const topic = uniqueName('refresh')
      const channel = client.channel(topic, { config: { broadcast: { self: true, ack: true } } })
      const system = record(channel, 'system')
      const echoes = record(channel, 'broadcast', { event: 'ping' })
      const statuses = await join(channel)

      await client.setAuth(makeToken({ ttl: 3600 })) // pushes access_token on the joined channel
      await sleep(6000) // past the first token's expiry
      assert.deepEqual(system.items, [])
      assert.deepEqual(statuses.items.map((s) => s.status), ['SUBSCRIBED'])
      assert.equal(await channel.send({ type: 'broadcast', event: 'ping', payload: { n: 1 } }), 'ok')
      assert.deepEqual(echoes.items, [{ type: 'broadcast', event: 'ping', payload: { n: 1 } }])
    })

    test('setAuth() with a bad token on a joined channel closes it with a system error', async () => {
      const client = newClient(vsn)
      const channel = client.channel(uniqueName('badrefresh'))
      const system = record(channel, 'system')
      const statuses = await join(channel)

      await client.setAuth(makeToken({ secret: OTHER_SECRET }))
      const message = await system.waitFor()
      assert.equal(message.extension, 'system')
      assert.equal(message.status, 'error')
      assert.equal(message.channel, channel.subTopic)
      assert.equal(typeof message.message, 'string')
      assert.notEqual(message.message, '')
      await statuses.waitFor((s) => s.status === 'CLOSED', { what: 'CLOSED' })
      assert.ok(client.isConnected())
    })
  })

  group(`connection apikey, vsn ${vsn}`, () => {
    test('a bad apikey: the socket never opens, the channel errors and never subscribes', async () => {
      const client = newClient(vsn, { apikey: makeToken({ secret: OTHER_SECRET }) })
      let opened = 0
      client.socketAdapter.getSocket().onOpen(() => { opened++ })
      const channel = client.channel(uniqueName('badkey'))
      const statuses = subscribeRecorded(channel)

      const first = await statuses.waitFor()
      assert.equal(first.status, 'CHANNEL_ERROR')
      await sleep(3000) // realtime-js retries after 1 s and 2 s: none may get through
      assert.equal(opened, 0)
      assert.equal(client.isConnected(), false)
      assert.ok(statuses.items.every((s) => s.status === 'CHANNEL_ERROR'), JSON.stringify(statuses.items))
      await client.disconnect()
    })
  })
}

group('refused WebSocket upgrades (HTTP status and JSON body)', () => {
  /** Resolves with {status, body} of a refused upgrade, or rejects if it opens. */
  function upgrade (query) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${env.wsUrl}/websocket${query}`)
      const timer = setTimeout(() => { ws.terminate(); reject(new Error('no answer within 10 s')) }, 10000)
      ws.on('open', () => { clearTimeout(timer); ws.close(); reject(new Error(`upgrade ${query} was accepted`)) })
      ws.on('unexpected-response', (request, response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => { body += chunk })
        response.on('end', () => {
          clearTimeout(timer)
          resolve({ status: response.statusCode, type: response.headers['content-type'], body })
        })
      })
      ws.on('error', () => {})
    })
  }

  test('no apikey: 401 API key is missing', async () => {
    const { status, type, body } = await upgrade('?vsn=2.0.0')
    assert.equal(status, 401)
    assert.match(type, /^application\/json/)
    assert.deepEqual(JSON.parse(body), { error: 'API key is missing' })
  })

  test('a key signed with another secret: 401 Failed to validate JWT signature', async () => {
    const { status, body } = await upgrade(`?apikey=${makeToken({ secret: OTHER_SECRET })}&vsn=1.0.0`)
    assert.equal(status, 401)
    assert.deepEqual(JSON.parse(body), { error: 'Failed to validate JWT signature' })
  })

  test('an expired key: 401 Token has expired', async () => {
    const { status, body } = await upgrade(`?apikey=${makeToken({ ttl: -10 })}&vsn=2.0.0`)
    assert.equal(status, 401)
    assert.match(JSON.parse(body).error, /^Token has expired/)
  })

  test('a key without role: 401 with the missing-claims text', async () => {
    const { status, body } = await upgrade(`?apikey=${makeToken({ role: null })}&vsn=2.0.0`)
    assert.equal(status, 401)
    assert.deepEqual(JSON.parse(body), { error: 'Fields `role` and `exp` are required in JWT' })
  })

  test('an unsupported vsn: 403', async () => {
    const { status } = await upgrade(`?apikey=${env.anonKey}&vsn=3.0.0`)
    assert.equal(status, 403)
  })

  test('the x-api-key header is accepted instead of the query parameter', async () => {
    const ws = new WebSocket(`${env.wsUrl}/websocket?vsn=1.0.0`, { headers: { 'x-api-key': env.anonKey } })
    await new Promise((resolve, reject) => {
      ws.on('open', resolve)
      ws.on('error', reject)
      ws.on('unexpected-response', (req, res) => reject(new Error(`refused: ${res.statusCode}`)))
    })
    ws.send(JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1' }))
    const [reply] = await new Promise((resolve) => ws.once('message', (...args) => resolve(args)))
    assert.deepEqual(JSON.parse(reply.toString()),
                     { topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} }, ref: '1' })
    ws.close()
  })
})
