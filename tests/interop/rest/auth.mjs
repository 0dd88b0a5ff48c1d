// Who a request runs as, through @supabase/postgrest-js: the anon key, a
// user's token (row-level security with auth.uid() and auth.jwt()), the
// service key (bypasses RLS), schemas other than public (Accept-Profile /
// Content-Profile), and the errors of bad tokens and missing privileges.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { before, test } from 'node:test'

import { USER_A, USER_B, client, env, makeToken, ok, sql, userToken } from './rest-env.mjs'

before(async () => {
  await sql(`
    CREATE TABLE public.notes (id bigserial PRIMARY KEY, owner uuid NOT NULL DEFAULT auth.uid(), body text);
    ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_select ON public.notes FOR SELECT TO authenticated USING (owner = auth.uid());
    CREATE POLICY own_insert ON public.notes FOR INSERT TO authenticated WITH CHECK (owner = auth.uid());
    CREATE POLICY own_update ON public.notes FOR UPDATE TO authenticated USING (owner = auth.uid());
    CREATE POLICY own_delete ON public.notes FOR DELETE TO authenticated USING (owner = auth.uid());
    CREATE POLICY by_email ON public.notes FOR SELECT TO authenticated USING (body = 'for ' || (auth.jwt() ->> 'email'));
    INSERT INTO public.notes (owner, body) VALUES
      ('${USER_A}', 'a1'), ('${USER_A}', 'a2'), ('${USER_B}', 'b1'), ('${USER_B}', 'for a@example.com');
    CREATE TABLE public.secrets (id int PRIMARY KEY, s text);
    INSERT INTO public.secrets VALUES (1, 'hidden');
    REVOKE ALL ON public.secrets FROM anon, authenticated;
    CREATE SCHEMA api;
    GRANT USAGE ON SCHEMA api TO anon, authenticated, service_role;
    CREATE TABLE api.things (k text PRIMARY KEY, v int);
    GRANT ALL ON api.things TO anon, authenticated, service_role;
    INSERT INTO api.things VALUES ('one', 1);`)
})

const alice = () => client({ token: userToken(USER_A, 'a@example.com') })
const bob = () => client({ token: userToken(USER_B, 'b@example.com') })
const bodies = (data) => data.map((row) => row.body)

test('row-level security: each user sees their rows (auth.uid(), auth.jwt())', async () => {
  assert.deepEqual(bodies(ok(await alice().from('notes').select('body').order('id')).data), ['a1', 'a2', 'for a@example.com'])
  assert.deepEqual(bodies(ok(await bob().from('notes').select('body').order('id')).data), ['b1', 'for a@example.com'])
  assert.deepEqual(ok(await client().from('notes').select()).data, [])
  assert.deepEqual(bodies(ok(await client({ token: env.serviceKey }).from('notes').select('body').order('id')).data),
    ['a1', 'a2', 'b1', 'for a@example.com'])
})

test('row-level security on writes', async () => {
  const own = ok(await alice().from('notes').insert({ body: 'a3' }).select('owner, body').single())
  assert.deepEqual(own.data, { owner: USER_A, body: 'a3' })
  const foreign = await alice().from('notes').insert({ owner: USER_B, body: 'sneaky' })
  assert.equal(foreign.status, 403)
  assert.equal(foreign.error.code, '42501')
  assert.equal(foreign.error.message, 'new row violates row-level security policy for table "notes"')
  const anon = await client().from('notes').insert({ owner: USER_A, body: 'anon' })
  assert.equal(anon.status, 401)
  assert.equal(anon.error.code, '42501')
  assert.deepEqual(ok(await alice().from('notes').update({ body: 'changed' }).eq('body', 'b1').select()).data, [])
  assert.deepEqual(ok(await bob().from('notes').delete().like('body', 'a%').select()).data, [])
  assert.deepEqual(bodies(ok(await alice().from('notes').delete().eq('body', 'a3').select('body')).data), ['a3'])
  assert.equal(await sql("SELECT count(*) FROM public.notes WHERE body IN ('b1', 'a1', 'a2')"), '3')
  assert.equal(await sql("SELECT count(*) FROM public.notes WHERE body IN ('sneaky', 'anon', 'changed')"), '0')
})

test('privileges: a table the role may not use', async () => {
  const anon = await client().from('secrets').select()
  assert.equal(anon.status, 401)
  assert.equal(anon.error.code, '42501')
  assert.equal(anon.error.message, 'permission denied for table secrets')
  const user = await alice().from('secrets').select()
  assert.equal(user.status, 403)
  assert.deepEqual(ok(await client({ token: env.serviceKey }).from('secrets').select('s')).data, [{ s: 'hidden' }])
})

test('schemas: Accept-Profile and Content-Profile', async () => {
  const api = client({ schema: 'api' })
  assert.deepEqual(ok(await api.from('things').select()).data, [{ k: 'one', v: 1 }])
  assert.deepEqual(ok(await api.from('things').insert({ k: 'two', v: 2 }).select()).data, [{ k: 'two', v: 2 }])
  const wrong = await client({ schema: 'nope' }).from('things').select()
  assert.equal(wrong.status, 406)
  assert.equal(wrong.error.code, 'PGRST106')
  const hidden = await client({ schema: 'auth' }).from('users').select()
  assert.equal(hidden.status, 406)
  assert.equal(hidden.error.code, 'PGRST106')
})

test('tokens: expired, forged, missing', async () => {
  const expired = await client({ token: makeToken({ role: 'anon', ttl: -10 }) }).from('notes').select()
  assert.equal(expired.status, 401)
  assert.equal(expired.error.code, 'PGRST303')
  assert.equal(expired.error.message, 'JWT expired')
  const forged = await client({ token: makeToken({ role: 'service_role', secret: 'not-the-secret-but-long-enough' }) })
    .from('secrets').select()
  assert.equal(forged.status, 401)
  assert.equal(forged.error.code, 'PGRST301')
  const response = await fetch(`${env.url}/rest/v1/notes`)
  assert.equal(response.status, 401)
})

test('the OpenAPI description lists the tables the caller may use', async () => {
  const response = await fetch(`${env.url}/rest/v1/`, { headers: { apikey: env.anonKey } })
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type'), /^application\/openapi\+json/)
  const doc = await response.json()
  assert.equal(doc.swagger, '2.0')
  assert.ok(doc.paths['/notes'])
  assert.equal(doc.paths['/secrets'], undefined)
  assert.deepEqual(Object.keys(doc.definitions.notes.properties), ['id', 'owner', 'body'])
  assert.equal(doc.definitions.notes.properties.owner.format, 'uuid')
  assert.equal(doc.definitions.notes.properties.id.type, 'integer')
})
