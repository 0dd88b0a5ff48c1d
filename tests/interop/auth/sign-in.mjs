// auth-js signInWithPassword() against tandem-server: a new session for the
// user that signed up, weakPassword for a password under today's rules, and
// GoTrue's "Invalid login credentials" whether the address is unknown or the
// password wrong.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after } from 'node:test'

import {
  REFRESH_TOKEN, assertAuthError, exitWhenDone, newAuthClient, recordEvents, signedUp, sql, stopAllClients, test,
  uniqueEmail, verifyJwt, waitForEvent,
} from './auth-env.mjs'

after(async () => {
  await stopAllClients()
  exitWhenDone()
})

test('signInWithPassword: a new session for the same user', async () => {
  const email = uniqueEmail('signin')
  const { data: up } = await signedUp(email, 'correct horse', { data: { display_name: 'Grace' } })
  await new Promise((resolve) => setTimeout(resolve, 20))

  const client = newAuthClient()
  const events = recordEvents(client)
  const { data, error } = await client.signInWithPassword({ email: email.toUpperCase(), password: 'correct horse' })
  assert.equal(error, null)
  assert.deepEqual(Object.keys(data), ['user', 'session'])
  const { session, user } = data

  assert.equal(session.token_type, 'bearer')
  assert.equal(session.expires_in, 3600)
  assert.match(session.refresh_token, REFRESH_TOKEN)
  assert.notEqual(session.refresh_token, up.session.refresh_token)

  // The same user; only the sign-in time moved.
  const { last_sign_in_at: before, updated_at: updatedBefore, ...same } = up.user
  const { last_sign_in_at: after_, updated_at: updatedAfter, ...now } = user
  assert.deepEqual(now, same)
  assert.ok(Date.parse(after_) > Date.parse(before))
  assert.ok(Date.parse(updatedAfter) >= Date.parse(updatedBefore))
  assert.equal(user.user_metadata.display_name, 'Grace')

  // Another session of the same user
  const first = verifyJwt(up.session.access_token)
  const second = verifyJwt(session.access_token)
  assert.equal(second.sub, first.sub)
  assert.notEqual(second.session_id, first.session_id)
  assert.equal(await sql(`SELECT count(*) FROM auth.sessions WHERE user_id = '${user.id}'`), '2')

  await waitForEvent(events, 'SIGNED_IN')
  const { data: stored } = await client.getSession()
  assert.equal(stored.session.refresh_token, session.refresh_token)
})

test('signInWithPassword: wrong password and unknown address get the same answer', async () => {
  const email = uniqueEmail('wrong')
  await signedUp(email)
  for (const credentials of [
    { email, password: 'wrong horse' },
    { email: uniqueEmail('nobody'), password: 'correct horse' },
    { email, password: '' },
  ]) {
    const client = newAuthClient()
    const { data, error } = await client.signInWithPassword(credentials)
    assert.deepEqual(data, { user: null, session: null })
    assertAuthError(error, { status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' })
    const { data: stored } = await client.getSession()
    assert.equal(stored.session, null)
  }
})

test('signInWithPassword: a password shorter than the rules signs in, with weakPassword', async () => {
  const email = uniqueEmail('short')
  await sql(`INSERT INTO auth.users (email, encrypted_password, email_confirmed_at, raw_app_meta_data)
             VALUES ('${email}', extensions.crypt('abc', extensions.gen_salt('bf')), now(),
                     '{"provider": "email", "providers": ["email"]}')`)
  const { data, error } = await newAuthClient().signInWithPassword({ email, password: 'abc' })
  assert.equal(error, null)
  assert.equal(data.user.email, email)
  assert.deepEqual(data.weakPassword, { message: 'Password should be at least 6 characters.', reasons: ['length'] })
})

test('signInWithPassword: an unconfirmed address is refused', async () => {
  const email = uniqueEmail('unconfirmed')
  await sql(`INSERT INTO auth.users (email, encrypted_password)
             VALUES ('${email}', extensions.crypt('secret-123', extensions.gen_salt('bf')))`)
  const { error } = await newAuthClient().signInWithPassword({ email, password: 'secret-123' })
  assertAuthError(error, { status: 400, code: 'email_not_confirmed', message: 'Email not confirmed' })
})

test('signInWithPassword: a phone number is refused, the provider is off', async () => {
  const { error } = await newAuthClient().signInWithPassword({ phone: '+15555550100', password: 'secret-123' })
  assertAuthError(error, { status: 422, code: 'phone_provider_disabled', message: 'Phone logins are disabled' })
})
