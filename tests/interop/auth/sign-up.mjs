// auth-js signUp() against tandem-server: local users are confirmed at once,
// so the answer is a session (as GoTrue's with autoconfirm), and the user,
// the identity and the access token are GoTrue's, value by value. Then the
// sign-up errors, as auth-js reports them.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after } from 'node:test'

import {
  REFRESH_TOKEN, USER_KEYS, UUID, assertAuthError, assertRecentTime, env, exitWhenDone, newAuthClient, nowSeconds,
  recordEvents, signedUp, sql, stopAllClients, test, uniqueEmail, verifyJwt, waitForEvent,
} from './auth-env.mjs'

after(async () => {
  await stopAllClients()
  exitWhenDone()
})

test('signUp: a confirmed user and a session, as GoTrue with autoconfirm answers', async () => {
  const client = newAuthClient()
  const events = recordEvents(client)
  const email = uniqueEmail('Ada.Lovelace')
  const lower = email.toLowerCase()

  const { data, error } = await client.signUp({
    email,
    password: 'correct horse',
    options: { data: { display_name: 'Ada', avatar_color: '#3584e4' } },
  })
  assert.equal(error, null)
  const { session, user } = data

  // The session
  assert.equal(session.token_type, 'bearer')
  assert.equal(session.expires_in, 3600)
  assert.ok(Math.abs(session.expires_at - (nowSeconds() + 3600)) <= 5)
  assert.match(session.refresh_token, REFRESH_TOKEN)
  assert.deepEqual(session.user, user)
  assert.equal(session.weak_password, undefined)

  // The user, with GoTrue's members in GoTrue's order
  assert.deepEqual(Object.keys(user), USER_KEYS)
  assert.match(user.id, UUID)
  const { id, email_confirmed_at: confirmedAt, confirmed_at: confirmed, last_sign_in_at: lastSignIn,
    created_at: created, updated_at: updated, identities, ...rest } = user
  assert.deepEqual(rest, {
    aud: 'authenticated',
    role: 'authenticated',
    email: lower,
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {
      sub: id,
      email: lower,
      display_name: 'Ada',
      avatar_color: '#3584e4',
      email_verified: true,
      phone_verified: false,
    },
    is_anonymous: false,
  })
  for (const [what, time] of Object.entries({ confirmedAt, confirmed, lastSignIn, created, updated })) {
    assertRecentTime(time, what)
  }
  assert.equal(confirmed, confirmedAt)

  // Its identity
  assert.equal(identities.length, 1)
  const { identity_id: identityId, last_sign_in_at: identitySignIn, created_at: identityCreated,
    updated_at: identityUpdated, ...identity } = identities[0]
  assert.match(identityId, UUID)
  assertRecentTime(identitySignIn)
  assertRecentTime(identityCreated)
  assertRecentTime(identityUpdated)
  assert.deepEqual(identity, {
    id,
    user_id: id,
    identity_data: rest.user_metadata,
    provider: 'email',
    email: lower,
  })

  // The access token: GoTrue's claims, signed with the server's secret
  const claims = verifyJwt(session.access_token)
  const { iat, exp, session_id: sessionId, amr, iss, ...named } = claims
  assert.deepEqual(named, {
    sub: id,
    aud: 'authenticated',
    email: lower,
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: rest.user_metadata,
    role: 'authenticated',
    aal: 'aal1',
    is_anonymous: false,
  })
  assert.equal(exp - iat, 3600)
  assert.equal(exp, session.expires_at)
  assert.match(sessionId, UUID)
  assert.equal(iss, `${env.url}/auth/v1`)
  assert.equal(amr.length, 1)
  assert.equal(amr[0].method, 'password')
  assert.ok(Math.abs(amr[0].timestamp - iat) <= 2)

  // auth-js keeps the session and says so
  await waitForEvent(events, 'SIGNED_IN')
  const { data: stored } = await client.getSession()
  assert.equal(stored.session.access_token, session.access_token)

  // And the database has the user, its identity and a session
  assert.equal(await sql(`SELECT count(*) FROM auth.sessions WHERE id = '${sessionId}' AND user_id = '${id}'`), '1')
  assert.equal(await sql(`SELECT provider FROM auth.identities WHERE user_id = '${id}'`), 'email')
})

test('signUp: the same address again, in any case, is "User already registered" (422)', async () => {
  const email = uniqueEmail('twice')
  await signedUp(email)
  const { data, error } = await newAuthClient().signUp({ email: email.toUpperCase(), password: 'another one' })
  assert.deepEqual(data, { user: null, session: null })
  assertAuthError(error, { status: 422, code: 'user_already_exists', message: 'User already registered' })
})

test('signUp: a short password is an AuthWeakPasswordError with reason "length" (422)', async () => {
  const { data, error } = await newAuthClient().signUp({ email: uniqueEmail('weak'), password: '12345' })
  assert.deepEqual(data, { user: null, session: null })
  assertAuthError(error, {
    name: 'AuthWeakPasswordError',
    status: 422,
    code: 'weak_password',
    message: 'Password should be at least 6 characters.',
  })
  assert.deepEqual(error.reasons, ['length'])
})

test('signUp: validation errors carry GoTrue\'s code and text', async () => {
  const cases = [
    [{ email: 'not-an-address', password: 'secret-123' }, 'Unable to validate email address: invalid format'],
    [{ email: uniqueEmail('nopassword'), password: '' }, 'Signup requires a valid password'],
    [{ email: uniqueEmail('long'), password: 'x'.repeat(73) }, 'Password cannot be longer than 72 characters'],
  ]
  for (const [credentials, message] of cases) {
    const { error } = await newAuthClient().signUp(credentials)
    assertAuthError(error, { status: 400, code: 'validation_failed', message })
  }
})

test('signUp: a phone number is refused, the provider is off', async () => {
  const { error } = await newAuthClient().signUp({ phone: '+15555550100', password: 'secret-123' })
  assertAuthError(error, { status: 400, code: 'phone_provider_disabled', message: 'Phone signups are disabled' })
})

test('signUp: the password is stored as a bcrypt hash', async () => {
  const email = uniqueEmail('hashed')
  await signedUp(email, 'correct horse battery')
  const hash = await sql(`SELECT encrypted_password FROM auth.users WHERE email = '${email}'`)
  assert.match(hash, /^\$2[ab]\$10\$[./A-Za-z0-9]{53}$/)
  assert.equal(await sql(`SELECT extensions.crypt('correct horse battery', '${hash}') = '${hash}'`), 't')
  assert.equal(await sql(`SELECT extensions.crypt('correct horse batterY', '${hash}') = '${hash}'`), 'f')
})
