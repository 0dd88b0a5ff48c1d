// Presence between official realtime-js clients through tandem-server: state,
// joins and leaves across three clients (one in a process that gets killed),
// untrack, re-track updates and the per-client presence rate limit.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { after } from 'node:test'
import { fileURLToPath } from 'node:url'

import {
  closeAllClients, exitWhenDone, group, join, newClient, plainPresence, record, Recorder, test,
  VSNS,
} from '../lib/realtime-client.mjs'
import { uniqueName } from '../lib/realtime-env.mjs'

const peers = new Set()

after(async () => {
  for (const peer of peers) peer.kill('SIGKILL')
  await closeAllClients()
  exitWhenDone()
})

/** A presence channel with recorders of sync, join and leave. */
function presenceChannel (client, topic, key) {
  const channel = client.channel(topic, { config: { presence: key === undefined ? {} : { key } } })
  return {
    channel,
    sync: record(channel, 'presence', { event: 'sync' }),
    joins: record(channel, 'presence', { event: 'join' }),
    leaves: record(channel, 'presence', { event: 'leave' }),
    state: () => plainPresence(channel.presenceState()),
  }
}

/** A client in another process that joins @topic as @key and tracks @track. */
function spawnPeer (config) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('peer-client.mjs', import.meta.url)),
    JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = new Recorder(`peer ${config.key}`)
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(JSON.parse(line)))
  peers.add(child)
  child.on('exit', () => peers.delete(child))
  return { child, lines }
}

const withoutRef = (metas) => metas.map(({ presence_ref: ref, ...rest }) => rest)

for (const vsn of VSNS) {
  group(`presence, vsn ${vsn}`, () => {
    test('three clients see each other; a killed client leaves for the others', async () => {
      const topic = uniqueName('pres')
      const a = presenceChannel(newClient(vsn), topic, 'alice')
      const b = presenceChannel(newClient(vsn), topic, 'bob')

      // The first join gets an empty presence_state (a sync with no one).
      await join(a.channel)
      await a.sync.waitFor()
      assert.deepEqual(a.state(), {})

      assert.equal(await a.channel.track({ name: 'Alice', n: 1 }), 'ok')
      const ownJoin = await a.joins.waitFor((j) => j.key === 'alice', { what: 'its own join' })
      assert.deepEqual(withoutRef(ownJoin.newPresences), [{ name: 'Alice', n: 1 }])
      assert.deepEqual(ownJoin.currentPresences, [])
      assert.deepEqual(a.state(), { alice: [{ name: 'Alice', n: 1 }] })

      // A later joiner gets the current state in presence_state.
      await join(b.channel)
      await b.sync.waitFor(() => 'alice' in b.channel.presenceState(), { what: 'a state with alice' })
      assert.deepEqual(b.state(), { alice: [{ name: 'Alice', n: 1 }] })
      assert.equal(await b.channel.track({ name: 'Bob' }), 'ok')

      const carol = spawnPeer({ vsn, topic, key: 'carol', track: { name: 'Carol', tags: ['x'] } })
      assert.deepEqual(await carol.lines.waitFor((l) => 'tracked' in l, { what: 'the peer\'s track result' }),
                       { tracked: 'ok' })

      const everyone = {
        alice: [{ name: 'Alice', n: 1 }],
        bob: [{ name: 'Bob' }],
        carol: [{ name: 'Carol', tags: ['x'] }],
      }
      for (const c of [a, b]) {
        await c.sync.waitFor(() => Object.keys(c.channel.presenceState()).length === 3, { what: 'three keys' })
        assert.deepEqual(c.state(), everyone)
        assert.deepEqual(c.joins.items.map((j) => j.key), ['alice', 'bob', 'carol'])
      }
      // presence_ref is the server's id of a meta: the same for every client.
      const carolRef = a.channel.presenceState().carol[0].presence_ref
      assert.equal(b.channel.presenceState().carol[0].presence_ref, carolRef)
      assert.equal(a.joins.items[2].newPresences[0].presence_ref, carolRef)
      assert.notEqual(a.channel.presenceState().alice[0].presence_ref, carolRef)

      carol.child.kill('SIGKILL')
      for (const c of [a, b]) {
        const leave = await c.leaves.waitFor((l) => l.key === 'carol', { what: 'carol\'s leave' })
        assert.deepEqual(leave.leftPresences, [{ name: 'Carol', tags: ['x'], presence_ref: carolRef }])
        assert.deepEqual(leave.currentPresences, [])
        await c.sync.waitFor(() => !('carol' in c.channel.presenceState()))
        assert.deepEqual(c.state(), { alice: [{ name: 'Alice', n: 1 }], bob: [{ name: 'Bob' }] })
        assert.deepEqual(c.leaves.items.map((l) => l.key), ['carol'])
      }
    })

    test('untrack leaves; a changed re-track is one diff with a join and a leave; an identical one is silent', async () => {
      const topic = uniqueName('pres')
      const a = presenceChannel(newClient(vsn), topic, 'alice')
      const bClient = newClient(vsn)
      const b = presenceChannel(bClient, topic, 'bob')
      await join(a.channel)
      await join(b.channel)
      assert.equal(await a.channel.track({ status: 'online' }), 'ok')
      assert.equal(await b.channel.track({ status: 'online' }), 'ok')
      await a.sync.waitFor(() => Object.keys(a.channel.presenceState()).length === 2)
      await b.sync.waitFor(() => Object.keys(b.channel.presenceState()).length === 2)
      const oldRef = b.channel.presenceState().alice[0].presence_ref

      assert.equal(await b.channel.untrack(), 'ok')
      const bobLeft = await a.leaves.waitFor((l) => l.key === 'bob')
      assert.deepEqual(withoutRef(bobLeft.leftPresences), [{ status: 'online' }])
      assert.deepEqual(a.state(), { alice: [{ status: 'online' }] })

      // The update travels as a single presence_diff: the new meta (with
      // phx_ref_prev) joins and the old one leaves, under the same key.
      const framesMark = bClient.tandemFrames.items.length
      const joinsBefore = b.joins.items.length
      const leavesBefore = b.leaves.items.length
      assert.equal(await a.channel.track({ status: 'away' }), 'ok')
      const diff = (await bClient.tandemFrames.waitFor(
        (f) => f.event === 'presence_diff' && 'alice' in f.payload.joins,
        { from: framesMark, what: 'the update diff' })).payload
      const newRef = diff.joins?.alice?.metas?.[0]?.phx_ref
      assert.equal(typeof newRef, 'string')
      assert.notEqual(newRef, oldRef, 'an update gets a new phx_ref')
      assert.deepEqual(diff, {
        joins: { alice: { metas: [{ status: 'away', phx_ref: newRef, phx_ref_prev: oldRef }] } },
        leaves: { alice: { metas: [{ status: 'online', phx_ref: oldRef }] } },
      })
      const update = await b.joins.waitFor((j) => j.key === 'alice', { from: joinsBefore, what: 'the update join' })
      const left = await b.leaves.waitFor((l) => l.key === 'alice', { from: leavesBefore, what: 'the update leave' })
      assert.deepEqual(update.newPresences, [{ status: 'away', presence_ref: newRef }])
      assert.deepEqual(withoutRef(update.currentPresences), [{ status: 'online' }])
      assert.deepEqual(left.leftPresences, [{ status: 'online', presence_ref: oldRef }])
      // realtime-js 2.109 itself keeps the old meta in presenceState() after
      // such an update (its join callback strips phx_ref from the metas it
      // hands out, which are the state's own), so only the new one is checked.
      assert.ok(b.channel.presenceState().alice.some((m) => m.status === 'away'))

      // The same payload again changes nothing: when b's own track comes
      // back to b, no diff for alice may have come before it.
      const mark = bClient.tandemFrames.items.length
      assert.equal(await a.channel.track({ status: 'away' }), 'ok')
      assert.equal(await b.channel.track({ status: 'back' }), 'ok')
      const next = await bClient.tandemFrames.waitFor((f) => f.event === 'presence_diff', { from: mark })
      assert.deepEqual(Object.keys(next.payload.joins), ['bob'])
      assert.deepEqual(next.payload.leaves, {})
    })

    test('without a presence key the server tracks under a generated id', async () => {
      const topic = uniqueName('pres')
      const a = presenceChannel(newClient(vsn), topic, undefined)
      await join(a.channel)
      assert.equal(await a.channel.track({ anonymous: true }), 'ok')
      const joined = await a.joins.waitFor()
      assert.match(joined.key, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      assert.deepEqual(a.state(), { [joined.key]: [{ anonymous: true }] })
    })

    test('the sixth presence call within the window closes the channel (rate limit)', async () => {
      const topic = uniqueName('pres')
      const client = newClient(vsn)
      const a = presenceChannel(client, topic, 'busy')
      const system = record(a.channel, 'system')
      const b = presenceChannel(newClient(vsn), topic, 'watcher')
      const statuses = await join(a.channel)
      await join(b.channel)

      // Five calls are allowed (track and untrack alike).
      for (const [i, call] of [[1, 'track'], [2, 'untrack'], [3, 'track'], [4, 'untrack'], [5, 'track']]) {
        const result = call === 'track' ? await a.channel.track({ i }) : await a.channel.untrack()
        assert.equal(result, 'ok', `call #${i} (${call})`)
      }
      await b.sync.waitFor(() => b.channel.presenceState().busy?.[0]?.i === 5, { what: 'busy at i=5' })
      assert.deepEqual(b.state(), { busy: [{ i: 5 }] })

      const leavesMark = b.leaves.items.length
      a.channel.track({ i: 6 }) // never answered: the server closes the channel instead
      assert.deepEqual(await system.waitFor(), {
        extension: 'system',
        status: 'error',
        message: 'Client presence rate limit exceeded',
        channel: topic,
      })
      await statuses.waitFor((s) => s.status === 'CLOSED', { what: 'CLOSED' })
      assert.equal(a.channel.state, 'closed')
      assert.ok(!client.getChannels().includes(a.channel), 'a closed channel is removed from its client')
      assert.ok(client.isConnected(), 'the socket stays up')
      assert.deepEqual(statuses.items.map((s) => s.status), ['SUBSCRIBED', 'CLOSED'])

      // The others see the closed channel's presence go.
      const gone = await b.leaves.waitFor((l) => l.key === 'busy', { from: leavesMark })
      assert.deepEqual(withoutRef(gone.leftPresences), [{ i: 5 }])
      assert.deepEqual(b.state(), {})
    })
  })
}
