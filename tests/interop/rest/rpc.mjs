// Functions through @supabase/postgrest-js rpc(): arguments in the body and
// (get: true) in the query, defaults, scalar, set, composite and void
// results, filters and modifiers on set-returning functions, counts,
// read-only GET, raised errors and unknown functions.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { before, test } from 'node:test'

import { client, ok, sql } from './rest-env.mjs'

before(async () => {
  await sql(`
    CREATE TABLE public.todos (id bigint PRIMARY KEY, task text NOT NULL, done boolean DEFAULT false, priority int);
    INSERT INTO public.todos VALUES (1, 'buy milk', false, 2), (2, 'walk dog', true, 1),
      (3, 'write code', false, NULL), (4, 'read book', true, 3);
    CREATE FUNCTION public.add(a int, b int DEFAULT 10) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
    CREATE FUNCTION public.hello(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'hello ' || name $$;
    CREATE FUNCTION public.done_todos() RETURNS SETOF public.todos LANGUAGE sql STABLE
      AS 'SELECT * FROM public.todos WHERE done';
    CREATE FUNCTION public.bump(p_id bigint) RETURNS public.todos LANGUAGE sql
      AS 'UPDATE public.todos SET priority = coalesce(priority, 0) + 1 WHERE id = p_id RETURNING *';
    CREATE FUNCTION public.sum_arr(xs int[]) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT sum(x)::int FROM unnest(xs) x';
    CREATE FUNCTION public.series(n int) RETURNS SETOF int LANGUAGE sql IMMUTABLE AS 'SELECT generate_series(1, n)';
    CREATE FUNCTION public.squares(n int) RETURNS TABLE (i int, sq int) LANGUAGE sql IMMUTABLE
      AS 'SELECT g, g * g FROM generate_series(1, n) g';
    CREATE FUNCTION public.echo(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS 'SELECT $1';
    CREATE FUNCTION public.nothing() RETURNS void LANGUAGE sql AS '';
    CREATE FUNCTION public.whoami() RETURNS text LANGUAGE sql STABLE AS $$ SELECT auth.role() $$;
    CREATE FUNCTION public.fail() RETURNS void LANGUAGE plpgsql AS $$ BEGIN
      RAISE EXCEPTION 'I refuse!' USING DETAIL = 'Pretty simple', HINT = 'There is nothing you can do.'; END $$;`)
})

const rpc = (...args) => client().rpc(...args)

test('scalar results, body and query arguments, defaults', async () => {
  assert.deepEqual(ok(await rpc('add', { a: 1, b: 2 })).data, 3)
  assert.deepEqual(ok(await rpc('add', { a: 5 })).data, 15)
  assert.deepEqual(ok(await rpc('add', { a: 5, b: 1 }, { get: true })).data, 6)
  assert.deepEqual(ok(await rpc('hello', { name: 'wörld, (1)' }, { get: true })).data, 'hello wörld, (1)')
  assert.deepEqual(ok(await rpc('sum_arr', { xs: [1, 2, 3] })).data, 6)
  assert.deepEqual(ok(await rpc('sum_arr', { xs: [4, 5] }, { get: true })).data, 9)
  assert.deepEqual(ok(await rpc('whoami')).data, 'anon')
})

test('set-returning functions with filters, order, range and count', async () => {
  assert.deepEqual(ok(await rpc('done_todos').select('id, task').order('id', { ascending: false })).data,
    [{ id: 4, task: 'read book' }, { id: 2, task: 'walk dog' }])
  assert.deepEqual(ok(await rpc('done_todos').select('id').gt('priority', 1)).data, [{ id: 4 }])
  assert.deepEqual(ok(await rpc('series', { n: 4 })).data, [1, 2, 3, 4])
  assert.deepEqual(ok(await rpc('squares', { n: 5 }).gt('sq', 4).order('i', { ascending: false }).limit(2)).data,
    [{ i: 5, sq: 25 }, { i: 4, sq: 16 }])
  const counted = ok(await rpc('squares', { n: 5 }, { count: 'exact' }).range(0, 1))
  assert.equal(counted.count, 5)
  assert.deepEqual(counted.data, [{ i: 1, sq: 1 }, { i: 2, sq: 4 }])
  assert.deepEqual(ok(await rpc('done_todos').select('id').eq('id', 2).single()).data, { id: 2 })
})

test('composite, json and void results', async () => {
  assert.deepEqual(ok(await rpc('bump', { p_id: 3 }).select('id, priority')).data, { id: 3, priority: 1 })
  assert.deepEqual(ok(await rpc('echo', { nested: { a: [1, 'two', null] } })).data, { nested: { a: [1, 'two', null] } })
  const nothing = ok(await rpc('nothing'))
  assert.equal(nothing.status, 204)
  assert.equal(nothing.data, null)
})

test('GET runs read-only: a function that writes fails', async () => {
  const result = await rpc('bump', { p_id: 1 }, { get: true })
  assert.equal(result.status, 405)
  assert.equal(result.error.code, '25006')
  assert.equal(await sql('SELECT priority FROM public.todos WHERE id = 1'), '2')
})

test('errors: raised exceptions, unknown functions and arguments', async () => {
  const raised = await rpc('fail')
  assert.equal(raised.status, 400)
  assert.deepEqual(raised.error, { code: 'P0001', details: 'Pretty simple', hint: 'There is nothing you can do.', message: 'I refuse!' })
  const unknown = await rpc('nope', { a: 1 })
  assert.equal(unknown.status, 404)
  assert.equal(unknown.error.code, 'PGRST202')
  assert.equal(unknown.error.message, 'Could not find the function public.nope(a) in the schema cache')
  const args = await rpc('add', { c: 1 })
  assert.equal(args.status, 404)
  assert.equal(args.error.code, 'PGRST202')
})
