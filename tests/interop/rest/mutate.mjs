// Writes through @supabase/postgrest-js: insert (one row, many rows,
// defaultToNull), upsert (merge, ignore, onConflict), update and delete,
// each with and without .select(), counts, and the errors of constraint
// violations. Results are compared with the rows the database then holds.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { before, test } from 'node:test'

import { client, ok, rowsOf, sql } from './rest-env.mjs'

before(async () => {
  await sql(`
    CREATE TABLE public.items (id bigint PRIMARY KEY, name text NOT NULL, qty int DEFAULT 1,
      note text DEFAULT 'none', tags text[], meta jsonb, created date DEFAULT '2026-01-01');
    CREATE TABLE public.tagged (id bigserial PRIMARY KEY, name text UNIQUE NOT NULL, hits int NOT NULL DEFAULT 0);
    CREATE TABLE public.children (id int PRIMARY KEY, item_id bigint REFERENCES public.items (id));`)
})

const items = () => client().from('items')
const stored = (where = 'true') => rowsOf(`SELECT id, name, qty, note FROM public.items WHERE ${where} ORDER BY id`)

test('insert one row: 201, no body without select()', async () => {
  const result = ok(await items().insert({ id: 1, name: 'one' }))
  assert.equal(result.status, 201)
  assert.equal(result.data, null)
  assert.deepEqual(await stored('id = 1'), [{ id: 1, name: 'one', qty: 1, note: 'none' }])
})

test('insert with select(): the rows as stored, shaped by the select', async () => {
  const { data, status } = ok(await items()
    .insert({ id: 2, name: 'two', tags: ['a', 'b c'], meta: { z: [1, { q: null }] } })
    .select('id, name, tags, meta, created'))
  assert.equal(status, 201)
  assert.deepEqual(data, [{ id: 2, name: 'two', tags: ['a', 'b c'], meta: { z: [1, { q: null }] }, created: '2026-01-01' }])
})

test('insert many rows with different keys: missing keys are null, or defaults', async () => {
  const nulls = ok(await items().insert([{ id: 3, name: 'three' }, { id: 4, name: 'four', qty: 7 }]).select('id, name, qty, note'))
  assert.deepEqual(nulls.data, [{ id: 3, name: 'three', qty: null, note: 'none' }, { id: 4, name: 'four', qty: 7, note: 'none' }])
  const defaults = ok(await items()
    .insert([{ id: 5, name: 'five' }, { id: 6, name: 'six', qty: 2, note: null }], { defaultToNull: false })
    .select('id, qty, note'))
  assert.deepEqual(defaults.data, [{ id: 5, qty: 1, note: 'none' }, { id: 6, qty: 2, note: null }])
})

test('insert single(): one object back', async () => {
  const { data } = ok(await items().insert({ id: 7, name: 'seven' }).select('id, name').single())
  assert.deepEqual(data, { id: 7, name: 'seven' })
})

test('insert with count', async () => {
  const result = ok(await items().insert([{ id: 8, name: 'a' }, { id: 9, name: 'b' }], { count: 'exact' }))
  assert.equal(result.count, 2)
})

test('upsert: merge-duplicates updates, ignoreDuplicates keeps, onConflict picks the key', async () => {
  const merged = ok(await items()
    .upsert([{ id: 1, name: 'one!', qty: 10 }, { id: 20, name: 'twenty', qty: 20 }])
    .select('id, name, qty'))
  assert.deepEqual(merged.data, [{ id: 1, name: 'one!', qty: 10 }, { id: 20, name: 'twenty', qty: 20 }])
  const ignored = ok(await items()
    .upsert([{ id: 2, name: 'ignored' }, { id: 21, name: 'kept' }], { ignoreDuplicates: true })
    .select('id, name'))
  assert.deepEqual(ignored.data, [{ id: 21, name: 'kept' }])
  assert.deepEqual(await stored('id IN (1, 2, 20, 21)'), [
    { id: 1, name: 'one!', qty: 10, note: 'none' }, { id: 2, name: 'two', qty: 1, note: 'none' },
    { id: 20, name: 'twenty', qty: 20, note: 'none' }, { id: 21, name: 'kept', qty: 1, note: 'none' },
  ])
  ok(await client().from('tagged').insert({ name: 'x', hits: 1 }))
  const byName = ok(await client().from('tagged').upsert({ name: 'x', hits: 5 }, { onConflict: 'name' }).select('name, hits'))
  assert.deepEqual(byName.data, [{ name: 'x', hits: 5 }])
  assert.equal(await sql("SELECT count(*) FROM public.tagged WHERE name = 'x'"), '1')
})

test('update: with and without select(), counts, no match', async () => {
  const updated = ok(await items().update({ qty: 99, note: 'changed' }).eq('id', 3).select('id, qty, note'))
  assert.equal(updated.status, 200)
  assert.deepEqual(updated.data, [{ id: 3, qty: 99, note: 'changed' }])
  const quiet = ok(await items().update({ qty: 0 }, { count: 'exact' }).in('id', [4, 5]))
  assert.equal(quiet.status, 204)
  assert.equal(quiet.count, 2)
  assert.deepEqual(await rowsOf('SELECT id, qty FROM public.items WHERE id IN (4, 5) ORDER BY id'), [{ id: 4, qty: 0 }, { id: 5, qty: 0 }])
  const none = ok(await items().update({ qty: 1 }).eq('id', 999).select())
  assert.deepEqual(none.data, [])
  const many = await items().update({ qty: 1 }).gt('id', 1).select().single()
  assert.equal(many.status, 406)
  assert.equal(await sql('SELECT qty FROM public.items WHERE id = 4'), '0', 'the update was rolled back')
})

test('delete: with and without select()', async () => {
  const deleted = ok(await items().delete().eq('id', 8).select('id, name'))
  assert.equal(deleted.status, 200)
  assert.deepEqual(deleted.data, [{ id: 8, name: 'a' }])
  const quiet = ok(await items().delete({ count: 'exact' }).eq('id', 9))
  assert.equal(quiet.status, 204)
  assert.equal(quiet.count, 1)
  assert.equal(await sql('SELECT count(*) FROM public.items WHERE id IN (8, 9)'), '0')
})

test('errors: unique, not null, foreign key, unknown column, bad json value', async () => {
  const unique = await items().insert({ id: 1, name: 'again' })
  assert.equal(unique.status, 409)
  assert.equal(unique.error.code, '23505')
  assert.equal(unique.error.message, 'duplicate key value violates unique constraint "items_pkey"')
  assert.equal(unique.error.details, 'Key (id)=(1) already exists.')
  const notNull = await items().insert({ id: 30 })
  assert.equal(notNull.status, 400)
  assert.equal(notNull.error.code, '23502')
  const foreign = await client().from('children').insert({ id: 1, item_id: 999 })
  assert.equal(foreign.status, 409)
  assert.equal(foreign.error.code, '23503')
  const column = await items().insert({ id: 31, name: 'x', nope: 1 })
  assert.equal(column.status, 400)
  assert.equal(column.error.code, 'PGRST204')
  assert.equal(column.error.message, "Could not find the 'nope' column of 'items' in the schema cache")
  const type = await items().insert({ id: 'abc', name: 'x' })
  assert.equal(type.status, 400)
  assert.equal(type.error.code, '22P02')
})

test('values that look like SQL are stored as plain data', async () => {
  const name = "x'); DROP TABLE public.items;--"
  const meta = { $$: "'; DROP TABLE items;--", quote: '"\\' }
  const { data } = ok(await items().insert({ id: 40, name, meta }).select('name, meta').single())
  assert.deepEqual(data, { name, meta })
  const found = ok(await items().select('id').eq('name', name))
  assert.deepEqual(found.data, [{ id: 40 }])
  assert.equal(await sql('SELECT count(*) FROM public.items WHERE id = 40'), '1')
})
