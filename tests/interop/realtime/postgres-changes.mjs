// postgres_changes from tandem-server's WAL stream to official realtime-js
// clients: INSERT/UPDATE/DELETE payloads checked value by value, event
// bindings, every filter operator, and the system messages for a bad filter
// or a table Realtime cannot stream. Rows are written with psql.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after, before } from 'node:test'

import {
  closeAllClients, exitWhenDone, group, join, newClient, record, subscribedToPostgres, test, VSNS,
} from '../lib/realtime-client.mjs'
import { env, sql, uniqueName } from '../lib/realtime-env.mjs'

before(async () => {
  // Values of timestamptz columns are rendered in the database's time zone,
  // which is UTC on Supabase.
  await sql("ALTER SYSTEM SET timezone = 'UTC';\nSELECT pg_reload_conf();")
})

after(async () => {
  await closeAllClients()
  exitWhenDone()
})

const COLUMNS = [
  { name: 'id', type: 'int8' },
  { name: 'name', type: 'text' },
  { name: 'qty', type: 'int4' },
  { name: 'price', type: 'numeric' },
  { name: 'active', type: 'bool' },
  { name: 'tags', type: '_text' },
  { name: 'meta', type: 'jsonb' },
  { name: 'created_at', type: 'timestamptz' },
  { name: 'day', type: 'date' },
]

/** A new table in the supabase_realtime publication. */
async function makeTable (prefix, { full = true, publish = true } = {}) {
  const table = uniqueName(prefix)
  await sql(`
    CREATE TABLE public.${table} (
      id bigint PRIMARY KEY, name text NOT NULL, qty integer, price numeric, active boolean,
      tags text[], meta jsonb, created_at timestamptz, day date);
    ${full ? `ALTER TABLE public.${table} REPLICA IDENTITY FULL;` : ''}
    ${publish ? `ALTER PUBLICATION supabase_realtime ADD TABLE public.${table};` : ''}`)
  return table
}

const ROW = {
  id: 1,
  name: 'first',
  qty: 3,
  price: 9.5,
  active: true,
  tags: ['x', 'y z'],
  meta: { k: 1, nested: { l: [1, 2], s: 'ü' } },
  created_at: '2026-01-02T03:04:05.678+00:00',
  day: '2026-01-02',
}
const insertRow = (table) => `INSERT INTO public.${table} VALUES
  (1, 'first', 3, 9.5, true, ARRAY['x', 'y z'], '{"k": 1, "nested": {"l": [1, 2], "s": "ü"}}',
   '2026-01-02 03:04:05.678+00', '2026-01-02');`

const UPDATED = { ...ROW, name: 'second', qty: null, active: false, tags: [], meta: { k: 2, nested: { l: [1, 2], s: 'ü' } } }
const updateRow = (table) => `UPDATE public.${table}
  SET name = 'second', qty = NULL, active = false, tags = '{}', meta = meta || '{"k": 2}' WHERE id = 1;`

/** Runs @text and returns the wall-clock bounds of its commit. */
async function timedSql (text) {
  const start = Date.now()
  await sql(text)
  return { start, end: Date.now() }
}

/**
 * Checks a realtime-js change payload: commit_timestamp is Supabase's
 * millisecond UTC form within the time the SQL ran, the rest is @expected.
 */
function assertChange (change, expected, when) {
  const { commit_timestamp: stamp, ...rest } = change
  assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  const ms = Date.parse(stamp)
  assert.ok(ms >= Math.floor(when.start / 1000) * 1000 - 1000 && ms <= when.end + 1000,
            `commit_timestamp ${stamp} outside the SQL's run ${new Date(when.start).toISOString()}..` +
            `${new Date(when.end).toISOString()}`)
  assert.deepEqual(rest, expected)
}

/** A client and channel with @bindings ([filter, …]) recorded each. */
async function listen (vsn, bindings, clientOptions = {}) {
  const client = newClient(vsn, clientOptions)
  const channel = client.channel(uniqueName('pg'))
  const recorders = bindings.map((filter) => record(channel, 'postgres_changes', filter))
  const system = record(channel, 'system')
  await join(channel)
  return { client, channel, recorders, system }
}

async function listenReady (vsn, bindings, clientOptions = {}) {
  const listener = await listen(vsn, bindings, clientOptions)
  assert.deepEqual(await listener.system.waitFor(), subscribedToPostgres(listener.channel.subTopic))
  return listener
}

/** The raw postgres_changes frames a client got. */
const rawChanges = (client) => client.tandemFrames.items.filter((f) => f.event === 'postgres_changes')

const idsOf = (recorder) => recorder.items.map((c) => (c.eventType === 'DELETE' ? c.old.id : c.new.id))

for (const vsn of VSNS) {
  group(`postgres_changes, vsn ${vsn}`, () => {
    test('INSERT: every value as Supabase sends it, the raw frame\'s ids and columns', async () => {
      const table = await makeTable('ins')
      const { client, channel, recorders: [inserts] } =
        await listenReady(vsn, [{ event: 'INSERT', schema: 'public', table }])

      const when = await timedSql(insertRow(table))
      assertChange(await inserts.waitFor(), {
        schema: 'public', table, eventType: 'INSERT', new: ROW, old: {}, errors: null,
      }, when)

      const [frame] = rawChanges(client)
      const bindingId = channel.bindings.postgres_changes[0].id
      assert.ok(Number.isInteger(bindingId) && bindingId >= 0 && bindingId < 2 ** 27, `id ${bindingId}`)
      assert.deepEqual(frame.payload.ids, [bindingId])
      const { commit_timestamp: stamp, ...data } = frame.payload.data
      assert.equal(typeof stamp, 'string')
      // INSERT carries no old_record key at all.
      assert.deepEqual(data, {
        schema: 'public', table, type: 'INSERT', columns: COLUMNS, record: ROW, errors: null,
      })
    })

    test('UPDATE with REPLICA IDENTITY FULL: new row and the whole old row', async () => {
      const table = await makeTable('upd')
      await sql(insertRow(table))
      const { client, recorders: [updates] } = await listenReady(vsn, [{ event: 'UPDATE', schema: 'public', table }])

      const when = await timedSql(updateRow(table))
      assertChange(await updates.waitFor(), {
        schema: 'public', table, eventType: 'UPDATE', new: UPDATED, old: ROW, errors: null,
      }, when)
      const data = rawChanges(client)[0].payload.data
      assert.deepEqual(data.record, UPDATED)
      assert.deepEqual(data.old_record, ROW)
    })

    test('UPDATE with the default replica identity: old holds the primary key only', async () => {
      const table = await makeTable('updpk', { full: false })
      await sql(insertRow(table))
      const { recorders: [updates] } = await listenReady(vsn, [{ event: 'UPDATE', schema: 'public', table }])

      const when = await timedSql(updateRow(table))
      assertChange(await updates.waitFor(), {
        schema: 'public', table, eventType: 'UPDATE', new: UPDATED, old: { id: 1 }, errors: null,
      }, when)
    })

    test('DELETE: the old row (whole with FULL identity, key only without), no new', async () => {
      const full = await makeTable('del')
      const keyOnly = await makeTable('delpk', { full: false })
      await sql(insertRow(full) + insertRow(keyOnly))
      const { client, recorders: [fullDeletes, keyDeletes] } = await listenReady(vsn, [
        { event: 'DELETE', schema: 'public', table: full },
        { event: 'DELETE', schema: 'public', table: keyOnly },
      ])

      const when = await timedSql(`DELETE FROM public.${full}; DELETE FROM public.${keyOnly};`)
      assertChange(await fullDeletes.waitFor(), {
        schema: 'public', table: full, eventType: 'DELETE', new: {}, old: ROW, errors: null,
      }, when)
      assertChange(await keyDeletes.waitFor(), {
        schema: 'public', table: keyOnly, eventType: 'DELETE', new: {}, old: { id: 1 }, errors: null,
      }, when)
      // DELETE carries no record key at all.
      const data = rawChanges(client)[0].payload.data
      assert.equal('record' in data, false)
      assert.deepEqual(data.old_record, ROW)
    })

    test('event bindings: * gets everything in commit order, the others only their type', async () => {
      const table = await makeTable('ev')
      const bindings = ['*', 'INSERT', 'UPDATE', 'DELETE'].map((event) => ({ event, schema: 'public', table }))
      const { client, channel, recorders: [all, inserts, updates, deletes] } = await listenReady(vsn, bindings)

      // The join reply echoes each binding, in order, with an integer id.
      const reply = client.tandemFrames.items.find((f) => f.event === 'phx_reply' && f.payload.response?.postgres_changes)
      const echoed = reply.payload.response.postgres_changes
      assert.deepEqual(echoed.map(({ id, ...entry }) => entry), bindings)
      const ids = echoed.map((e) => e.id)
      for (const id of ids) assert.ok(Number.isInteger(id) && id >= 0 && id < 2 ** 27, `id ${id}`)
      assert.equal(new Set(ids).size, 4, 'different bindings get different ids')
      assert.deepEqual(channel.bindings.postgres_changes.map((b) => b.id), ids)

      await sql(insertRow(table) + updateRow(table) + `DELETE FROM public.${table};`)
      await all.waitForCount(3)
      assert.deepEqual(all.items.map((c) => c.eventType), ['INSERT', 'UPDATE', 'DELETE'])
      assert.deepEqual(all.items.map((c) => [c.new, c.old]), [[ROW, {}], [UPDATED, ROW], [{}, UPDATED]])
      assert.deepEqual(inserts.items.map((c) => c.eventType), ['INSERT'])
      assert.deepEqual(updates.items.map((c) => c.eventType), ['UPDATE'])
      assert.deepEqual(deletes.items.map((c) => c.eventType), ['DELETE'])

      // The server itself matched the event: each frame names only the
      // bindings for its type (realtime-js would hide extra ids).
      const [idAll, idInsert, idUpdate, idDelete] = ids
      const sorted = (list) => [...list].sort((x, y) => x - y)
      assert.deepEqual(rawChanges(client).map((f) => sorted(f.payload.ids)),
                       [sorted([idAll, idInsert]), sorted([idAll, idUpdate]), sorted([idAll, idDelete])])
    })

    test('a schema-wide binding gets every published table of the schema, and only those', async () => {
      const one = await makeTable('wa')
      const two = await makeTable('wb')
      const hidden = await makeTable('wc', { publish: false })
      const { recorders: [changes] } = await listenReady(vsn, [{ event: 'INSERT', schema: 'public' }])

      await sql(insertRow(hidden) + insertRow(one) + insertRow(two))
      await changes.waitForCount(2)
      assert.deepEqual(changes.items.map((c) => [c.table, c.new.id]), [[one, 1], [two, 1]])
    })

    test('filters eq, neq, lt, lte, gt, gte and in on numbers and text; NULL matches none', async () => {
      const table = await makeTable('flt')
      const on = (filter) => ({ event: 'INSERT', schema: 'public', table, filter })
      const cases = [
        ['qty=eq.3', [3]],
        ['qty=neq.3', [1, 2, 4, 5]],
        ['qty=lt.3', [1, 2]],
        ['qty=lte.3', [1, 2, 3]],
        ['qty=gt.3', [4, 5]],
        ['qty=gte.3', [3, 4, 5]],
        ['qty=in.(1,5)', [1, 5]],
        ['name=eq.n2', [2]],
        ['name=neq.n2', [1, 3, 4, 5, 100]],
        ['name=in.(n1,n3)', [1, 3]],
        ['name=gt.n3', [4, 5, 100]],
        ['day=lt.2026-01-03', [1, 2]],
      ]
      const bindings = [...cases.map(([filter]) => on(filter)), { event: 'INSERT', schema: 'public', table }]
      const { recorders } = await listenReady(vsn, bindings)
      const all = recorders.at(-1)

      await sql([1, 2, 3, 4, 5].map((i) =>
        `INSERT INTO public.${table} (id, name, qty, day) VALUES (${i}, 'n${i}', ${i}, '2026-01-0${i}');`).join('\n') +
        `INSERT INTO public.${table} (id, name) VALUES (100, 'zz-sentinel');`)
      // Changes arrive in commit order: once the sentinel is in, all are.
      await all.waitFor((c) => c.new.id === 100, { what: 'the sentinel row' })
      assert.deepEqual(idsOf(all), [1, 2, 3, 4, 5, 100])
      cases.forEach(([filter, expected], i) => assert.deepEqual(idsOf(recorders[i]), expected, filter))
    })

    test('UPDATE filters look at the new row, DELETE filters at the old one', async () => {
      const table = await makeTable('fud')
      await sql([1, 2, 3, 4, 5].map((i) =>
        `INSERT INTO public.${table} (id, name, qty) VALUES (${i}, 'n${i}', ${i});`).join('\n'))
      const { recorders: [bigAfter, deletedN4, all] } = await listenReady(vsn, [
        { event: 'UPDATE', schema: 'public', table, filter: 'qty=gt.10' },
        { event: 'DELETE', schema: 'public', table, filter: 'name=eq.n4' },
        { event: '*', schema: 'public', table },
      ])

      await sql(`UPDATE public.${table} SET qty = qty * 5;
                 DELETE FROM public.${table};
                 INSERT INTO public.${table} (id, name) VALUES (100, 'sentinel');`)
      await all.waitFor((c) => c.eventType === 'INSERT', { what: 'the sentinel row' })
      assert.equal(all.items.length, 11)
      assert.deepEqual(bigAfter.items.map((c) => [c.old.qty, c.new.qty]), [[3, 15], [4, 20], [5, 25]])
      assert.deepEqual(deletedN4.items.map((c) => c.old), [{ id: 4, name: 'n4', qty: 20, price: null, active: null,
        tags: null, meta: null, created_at: null, day: null }])
    })

    test('combined (AND) and negated filters', async () => {
      const table = await makeTable('fcomb')
      const cases = [
        ['qty=gt.1,qty=lt.5', [2, 3, 4]],
        ['qty=not.in.(1,5)', [2, 3, 4]],
        ['qty=not.eq.3', [1, 2, 4, 5]],
        ['name=eq."n,2"', [2]],
      ]
      const bindings = [...cases.map(([filter]) => ({ event: 'INSERT', schema: 'public', table, filter })),
        { event: 'INSERT', schema: 'public', table }]
      const { recorders } = await listenReady(vsn, bindings)

      await sql([1, 2, 3, 4, 5].map((i) =>
        `INSERT INTO public.${table} (id, name, qty) VALUES (${i}, 'n${i === 2 ? ',' : ''}${i}', ${i});`).join('\n') +
        `INSERT INTO public.${table} (id, name) VALUES (100, 'sentinel');`)
      await recorders.at(-1).waitFor((c) => c.new.id === 100, { what: 'the sentinel row' })
      cases.forEach(([filter, expected], i) => assert.deepEqual(idsOf(recorders[i]), expected, filter))
    })

    test('row-level security: a role hears only rows its policies let it read; DELETE carries the key only', async () => {
      const table = await makeTable('rls')
      await sql(`ALTER TABLE public.${table} ENABLE ROW LEVEL SECURITY;
                 CREATE POLICY only_active ON public.${table} FOR SELECT TO anon USING (active);`)
      const binding = [{ event: '*', schema: 'public', table }]
      const { recorders: [anon] } = await listenReady(vsn, binding)
      const { recorders: [service] } = await listenReady(vsn, binding, { apikey: env.serviceKey })

      await sql([[1, true], [2, false], [3, true], [100, true]].map(([id, active]) =>
        `INSERT INTO public.${table} (id, name, active) VALUES (${id}, 'r${id}', ${active});`).join('\n'))
      await anon.waitFor((c) => c.new.id === 100, { what: 'the last row' })
      await service.waitFor((c) => c.new.id === 100, { what: 'the last row' })
      assert.deepEqual(idsOf(anon), [1, 3, 100])
      assert.deepEqual(idsOf(service), [1, 2, 3, 100], 'the service role bypasses row-level security')

      // A table with RLS cannot secure deletes: only the primary key is sent.
      await sql(`DELETE FROM public.${table} WHERE id = 1;`)
      for (const recorder of [anon, service]) {
        const deleted = await recorder.waitFor((c) => c.eventType === 'DELETE')
        assert.deepEqual(deleted.old, { id: 1 })
        assert.deepEqual(deleted.new, {})
      }
    })

    for (const [filter, message] of [
      // Realtime reports what it could not use: [operator, value] for an
      // unknown operator, the part after `=` when it has no operator, the
      // whole filter when it has no `=`.
      ['qty=foo.3', 'Error parsing `filter` params: ["foo", "3"]'],
      ['qty=3', 'Error parsing `filter` params: ["3"]'],
      ['undefined', 'Error parsing `filter` params: ["undefined"]'],
    ]) {
      test(`a bad filter (${filter}) gives a system error and the channel keeps working`, async () => {
        const table = await makeTable('bad')
        const client = newClient(vsn)
        const channel = client.channel(uniqueName('pg'), { config: { broadcast: { self: true, ack: true } } })
        const changes = record(channel, 'postgres_changes', { event: '*', schema: 'public', table, filter })
        const system = record(channel, 'system')
        const echoes = record(channel, 'broadcast', { event: 'ping' })
        const statuses = await join(channel)

        assert.deepEqual(await system.waitFor(), {
          extension: 'postgres_changes', status: 'error', message, channel: channel.subTopic,
        })
        assert.equal(await channel.send({ type: 'broadcast', event: 'ping', payload: { still: 'open' } }), 'ok')
        assert.deepEqual(echoes.items, [{ type: 'broadcast', event: 'ping', payload: { still: 'open' } }])
        assert.deepEqual(statuses.items.map((s) => s.status), ['SUBSCRIBED'])
        assert.deepEqual(changes.items, [])
      })
    }

    test('an unknown table, or one outside the publication, gives "Unable to subscribe…"', async () => {
      const unpublished = await makeTable('unpub', { publish: false })
      for (const table of ['no_such_table', unpublished]) {
        const client = newClient(vsn)
        const channel = client.channel(uniqueName('pg'), { config: { broadcast: { self: true, ack: true } } })
        record(channel, 'postgres_changes', { event: '*', schema: 'public', table })
        const system = record(channel, 'system')
        const echoes = record(channel, 'broadcast', { event: '*' })
        await join(channel)

        assert.deepEqual(await system.waitFor(), {
          extension: 'postgres_changes',
          status: 'error',
          message: 'Unable to subscribe to changes with given parameters. Please check Realtime is enabled ' +
                   `for the given connect parameters: [event: *, schema: public, table: ${table}, filters: [], ` +
                   'select: nil]',
          channel: channel.subTopic,
        })
        assert.equal(await channel.send({ type: 'broadcast', event: 'ping', payload: {} }), 'ok')
        assert.equal(echoes.items.length, 1, 'the channel stays open for broadcast')
      }
    })

    test('a filter on a column the table does not have gives "Unable to subscribe…"', async () => {
      const table = await makeTable('nocol')
      const { channel, system } = await listen(vsn, [{ event: '*', schema: 'public', table, filter: 'nope=eq.1' }])
      const message = await system.waitFor()
      assert.equal(message.extension, 'postgres_changes')
      assert.equal(message.status, 'error')
      assert.equal(message.channel, channel.subTopic)
      assert.ok(message.message.startsWith('Unable to subscribe to changes with given parameters. Please check ' +
        `Realtime is enabled for the given connect parameters: [event: *, schema: public, table: ${table}, filters: [`),
      message.message)
    })
  })
}
