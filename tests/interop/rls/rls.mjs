// rls.mjs: row-level security for postgres_changes, end to end through the
// official clients. Two people sign up and sign in with auth-js (through
// supabase-js), subscribe to `messages` with realtime-js carrying their own
// access tokens, and a policy lets each read only the rows of their own
// conversations: each hears only their own changes, anon hears none, and
// the service role hears everything.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'

import { createClient } from '@supabase/supabase-js'
import WebSocket from 'ws'

import {
  env, exitWhenDone, newSupabaseClient, stopAllClients, uniqueEmail, sql,
} from '../auth/auth-env.mjs'

const WAIT_MS = 15000
const people = {}
const listeners = []

async function until (what, predicate, ms = WAIT_MS) {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

// Subscribes @client to every change of public.messages and records them;
// resolves once the server said "Subscribed to PostgreSQL".
async function listen (label, client) {
  const received = []
  let ready = false
  const channel = client.channel(`inbox-${label}`)
    .on('postgres_changes', { event: '*', schema: 'public', table: 'messages' }, (change) => received.push(change))
    .on('system', {}, (payload) => {
      if (payload.extension === 'postgres_changes' && payload.status === 'ok') ready = true
    })
  let status = null
  channel.subscribe((s, err) => { status = err ? `${s}: ${err.message}` : s })
  await until(`${label} to subscribe`, () => status === 'SUBSCRIBED')
  await until(`${label}'s postgres_changes`, () => ready)
  const listener = { label, client, channel, received }
  listeners.push(listener)
  return listener
}

before(async () => {
  for (const name of ['alice', 'bob']) {
    const client = newSupabaseClient()
    const email = uniqueEmail(name)
    const { data, error } = await client.auth.signUp({ email, password: 'correct horse battery' })
    assert.equal(error, null)
    const signIn = await client.auth.signInWithPassword({ email, password: 'correct horse battery' })
    assert.equal(signIn.error, null)
    people[name] = { client, id: data.user.id, token: signIn.data.session.access_token }
  }

  await sql(`
    CREATE TABLE conversation_members (conversation_id int, user_id uuid);
    CREATE TABLE messages (id serial PRIMARY KEY, conversation_id int NOT NULL, body text);
    ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
    CREATE POLICY read_own ON messages FOR SELECT TO authenticated USING (
      conversation_id IN (SELECT conversation_id FROM conversation_members WHERE user_id = auth.uid()));
    INSERT INTO conversation_members VALUES (1, '${people.alice.id}'), (2, '${people.bob.id}');
    ALTER PUBLICATION supabase_realtime ADD TABLE messages;`)
})

after(async () => {
  for (const { client, channel } of listeners) await client.removeChannel(channel)
  await stopAllClients()
  exitWhenDone()
})

test('each signed-in user hears only their own conversations; anon hears nothing', async () => {
  // supabase-js hands the session's token to realtime on sign-in
  assert.equal(people.alice.client.realtime.accessTokenValue, people.alice.token)

  const alice = await listen('alice', people.alice.client)
  const bob = await listen('bob', people.bob.client)
  const anon = await listen('anon', newSupabaseClient())
  const service = await listen('service', createClient(env.url, env.serviceKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket },
  }))

  await sql(`
    INSERT INTO messages (conversation_id, body) VALUES (1, 'for alice');
    INSERT INTO messages (conversation_id, body) VALUES (2, 'for bob');
    INSERT INTO messages (conversation_id, body) VALUES (1, 'for alice again');
    UPDATE messages SET body = 'for bob, edited' WHERE conversation_id = 2;`)

  await until('the service role to hear all four', () => service.received.length === 4)
  await until('alice to hear hers', () => alice.received.length === 2)
  await until('bob to hear his', () => bob.received.length === 2)
  await new Promise((resolve) => setTimeout(resolve, 500))

  assert.deepEqual(alice.received.map((c) => [c.eventType, c.new.body]),
    [['INSERT', 'for alice'], ['INSERT', 'for alice again']])
  assert.deepEqual(bob.received.map((c) => [c.eventType, c.new.body]),
    [['INSERT', 'for bob'], ['UPDATE', 'for bob, edited']])
  assert.deepEqual(anon.received, [])
  assert.deepEqual(service.received.map((c) => c.new.body),
    ['for alice', 'for bob', 'for alice again', 'for bob, edited'])
  for (const change of [...alice.received, ...bob.received]) {
    assert.equal(change.schema, 'public')
    assert.equal(change.table, 'messages')
    assert.match(change.commit_timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  }
})
