// The tenant-wide messages-per-second limit, seen from realtime-js. The server
// runs with --max-events-per-second 10: a burst of broadcasts trips it, the
// topic's channels are closed with "Too many messages per second" and REST
// answers 429 while it lasts.
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

for (const vsn of VSNS) {
  group(`events per second, vsn ${vsn}`, () => {
    test('a burst closes the topic\'s channels with a system message; REST gets 429', async () => {
      const topic = uniqueName('rate')
      const a = newClient(vsn)
      const b = newClient(vsn)
      const chanA = a.channel(topic)
      const chanB = b.channel(topic)
      const systemA = record(chanA, 'system')
      const systemB = record(chanB, 'system')
      const statusesA = await join(chanA)
      const statusesB = await join(chanB)

      // 10 per second averaged over 5 s is 50 events; each broadcast counts
      // once in and once per delivery. Stop as soon as the channel is gone.
      for (let n = 0; n < 200 && chanA.state === 'joined'; n++) {
        await chanA.send({ type: 'broadcast', event: 'burst', payload: { n } })
      }

      const expected = { extension: 'system', status: 'error', message: 'Too many messages per second', channel: topic }
      assert.deepEqual(await systemA.waitFor(), expected)
      assert.deepEqual(await systemB.waitFor(), expected)
      await statusesA.waitFor((s) => s.status === 'CLOSED', { what: 'CLOSED on a' })
      await statusesB.waitFor((s) => s.status === 'CLOSED', { what: 'CLOSED on b' })
      assert.ok(a.isConnected() && b.isConnected(), 'only the channels are closed')

      const response = await fetch(`${env.url}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: { apikey: env.anonKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ messages: [{ topic, event: 'rest', payload: {} }] }),
      })
      assert.equal(response.status, 429)
      assert.deepEqual(await response.json(), { message: 'You have exceeded your rate limit' })
    })
  })
}
