// The server goes away and comes back (through tandem-test-env's control
// channel): realtime-js reports CHANNEL_ERROR, reconnects on its own backoff,
// rejoins and fires SUBSCRIBED again, after which broadcast, presence and
// postgres_changes work as before.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after } from 'node:test'

import {
  closeAllClients, exitWhenDone, group, join, newClient, plainPresence, record, sleep,
  subscribedToPostgres, test, VSNS,
} from '../lib/realtime-client.mjs'
import { server, sql, uniqueName } from '../lib/realtime-env.mjs'

after(async () => {
  await closeAllClients()
  exitWhenDone()
})

// realtime-js waits 1, 2, 5 then 10 s between attempts.
const RECONNECT_MS = 30000

const msg = (event, payload) => ({ type: 'broadcast', event, payload })

/** Two clients on one topic; a has presence and a postgres_changes binding. */
async function setUp (vsn, options = {}) {
  const table = uniqueName('rc')
  await sql(`CREATE TABLE public.${table} (id bigint PRIMARY KEY, note text);
             ALTER PUBLICATION supabase_realtime ADD TABLE public.${table};`)
  const topic = uniqueName('rc')
  const a = newClient(vsn, options)
  const b = newClient(vsn, options)
  const chanA = a.channel(topic, { config: { broadcast: { ack: true }, presence: { key: 'alice' } } })
  const chanB = b.channel(topic)
  const changes = record(chanA, 'postgres_changes', { event: 'INSERT', schema: 'public', table })
  const system = record(chanA, 'system')
  const sync = record(chanA, 'presence', { event: 'sync' })
  const gotB = record(chanB, 'broadcast', { event: '*' })
  const statusesA = await join(chanA)
  const statusesB = await join(chanB)
  assert.deepEqual(await system.waitFor(), subscribedToPostgres(topic))
  assert.equal(await chanA.track({ here: true }), 'ok')
  await sync.waitFor(() => 'alice' in chanA.presenceState())
  return { table, topic, a, b, chanA, chanB, changes, system, sync, gotB, statusesA, statusesB }
}

/** After an outage: both channels errored, then SUBSCRIBED again. */
async function expectRejoined (ctx) {
  for (const statuses of [ctx.statusesA, ctx.statusesB]) {
    await statuses.waitFor((s) => s.status === 'CHANNEL_ERROR', { from: 1, what: 'CHANNEL_ERROR' })
    await statuses.waitFor((s) => s.status === 'SUBSCRIBED', { from: 2, timeout: RECONNECT_MS, what: 'SUBSCRIBED again' })
  }
}

/** Everything works on the rejoined channels. */
async function expectWorking (ctx, row) {
  const { chanA, changes, system, sync, gotB, topic, table } = ctx

  // A new server process knows no presence: the rejoin's presence_state is
  // empty, and tracking again shows up.
  await sync.waitFor(() => Object.keys(chanA.presenceState()).length === 0, { what: 'the empty state' })
  assert.equal(await chanA.track({ here: 'again' }), 'ok')
  await sync.waitFor(() => chanA.presenceState().alice?.some((m) => m.here === 'again'))
  assert.deepEqual(plainPresence(chanA.presenceState()), { alice: [{ here: 'again' }] })

  assert.equal(await chanA.send(msg('after', { row })), 'ok')
  assert.deepEqual(await gotB.waitFor((m) => m.event === 'after'), msg('after', { row }))

  await system.waitFor((s) => s.message === 'Subscribed to PostgreSQL', { from: 1, what: 'the resubscription' })
  assert.deepEqual(system.items.at(-1), subscribedToPostgres(topic))
  await sql(`INSERT INTO public.${table} VALUES (${row}, 'after the outage');`)
  const change = await changes.waitFor((c) => c.new.id === row, { what: `row ${row}` })
  assert.deepEqual(change.new, { id: row, note: 'after the outage' })
}

for (const vsn of VSNS) {
  group(`the server goes away, vsn ${vsn}`, () => {
    test('restart (SIGTERM, clean exit, same port): reconnect, rejoin, SUBSCRIBED, all working', async () => {
      const ctx = await setUp(vsn)
      const was = await server.status()
      const now = await server.restart()
      assert.equal(now.running, true)
      assert.equal(now.port, was.port)
      assert.notEqual(now.pid, was.pid)

      await expectRejoined(ctx)
      await expectWorking(ctx, 1)
    })

    test('SIGKILL, then started again: reconnect, rejoin, SUBSCRIBED, all working', async () => {
      const ctx = await setUp(vsn)
      await server.kill()
      for (const statuses of [ctx.statusesA, ctx.statusesB]) {
        const error = await statuses.waitFor((s) => s.status === 'CHANNEL_ERROR', { from: 1 })
        assert.match(error.err, /^(socket closed: 1006|channel error: transport failure)/)
      }
      await sleep(1500) // the first reconnect attempt finds no server
      await server.start()

      await expectRejoined(ctx)
      await expectWorking(ctx, 2)
    })

    test('paused (SIGSTOP): heartbeat timeout, then reconnect once it runs again', async () => {
      const ctx = await setUp(vsn, { heartbeatIntervalMs: 1000 })
      await server.pause()
      try {
        for (const statuses of [ctx.statusesA, ctx.statusesB]) {
          const error = await statuses.waitFor((s) => s.status === 'CHANNEL_ERROR', { from: 1, what: 'the timeout' })
          assert.match(error.err, /heartbeat timeout/)
        }
      } finally {
        await server.resume()
      }

      await expectRejoined(ctx)
      await expectWorking(ctx, 3)
    })
  })
}
