// A session through auth-js against tandem-server: refreshSession() rotates
// the refresh token (and a reused one, once the reuse interval is over, ends
// the session's whole family), getUser() and updateUser() (metadata such as
// a display name and avatar colour, a new password), and signOut() in each
// scope as other clients see it.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after } from 'node:test'

import {
  REFRESH_TOKEN, ageRefreshToken, assertAuthError, exitWhenDone, newAuthClient, recordEvents, signedIn, signedUp,
  sql, stopAllClients, storedToken, test, uniqueEmail, verifyJwt, waitForEvent,
} from './auth-env.mjs'

after(async () => {
  await stopAllClients()
  exitWhenDone()
})

test('refreshSession: new tokens for the same session; the old refresh token is spent', async () => {
  const { client, data: up } = await signedUp(uniqueEmail('refresh'))
  const events = recordEvents(client)
  const old = up.session

  const { data, error } = await client.refreshSession()
  assert.equal(error, null)
  const { session } = data
  assert.match(session.refresh_token, REFRESH_TOKEN)
  assert.notEqual(session.refresh_token, old.refresh_token)
  assert.equal(session.token_type, 'bearer')
  assert.equal(session.expires_in, 3600)
  assert.equal(verifyJwt(session.access_token).session_id, verifyJwt(old.access_token).session_id)
  assert.equal(session.user.id, old.user.id)
  await waitForEvent(events, 'TOKEN_REFRESHED')
  const { data: stored } = await client.getSession()
  assert.equal(stored.session.refresh_token, session.refresh_token)

  // Stored hashed, revoked, with the new one as its child.
  const oldHash = await storedToken(old.refresh_token)
  assert.equal(await sql(`SELECT revoked FROM auth.refresh_tokens WHERE token = '${oldHash}'`), 't')
  const newHash = await storedToken(session.refresh_token)
  assert.equal(await sql(`SELECT parent FROM auth.refresh_tokens WHERE token = '${newHash}'`), oldHash)

  // Once more, with the new token.
  const { data: again, error: againError } = await client.refreshSession()
  assert.equal(againError, null)
  assert.notEqual(again.session.refresh_token, session.refresh_token)
})

test('refreshSession: a client that lost the answer gets the same new token again', async () => {
  const { data: up } = await signedUp(uniqueEmail('lost'))
  const a = newAuthClient()
  const b = newAuthClient()
  const first = await a.refreshSession({ refresh_token: up.session.refresh_token })
  const second = await b.refreshSession({ refresh_token: up.session.refresh_token })
  assert.equal(first.error, null)
  assert.equal(second.error, null)
  assert.equal(second.data.session.refresh_token, first.data.session.refresh_token)
})

test('refreshSession: a spent token reused after the reuse interval revokes the family', async () => {
  const email = uniqueEmail('family')
  const { client, data: up } = await signedUp(email)
  const { data: one } = await client.refreshSession()
  const { data: two } = await client.refreshSession()
  const { client: elsewhere } = await signedIn(email)

  // Within the interval (10 s) a spent token still works (two tabs at once).
  const tab = newAuthClient()
  const { error: early } = await tab.refreshSession({ refresh_token: up.session.refresh_token })
  assert.equal(early, null)

  await ageRefreshToken(one.session.refresh_token, 11)
  const thief = newAuthClient()
  const { data, error } = await thief.refreshSession({ refresh_token: one.session.refresh_token })
  assert.deepEqual(data, { user: null, session: null })
  assertAuthError(error, { status: 400, code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' })

  // The family is dead, the newest token included…
  const { error: newest } = await newAuthClient().refreshSession({ refresh_token: two.session.refresh_token })
  assertAuthError(newest, { status: 400, code: 'refresh_token_already_used' })
  const sessionId = verifyJwt(up.session.access_token).session_id
  assert.equal(await sql(`SELECT count(*) FROM auth.refresh_tokens WHERE session_id = '${sessionId}' AND NOT revoked`),
    '0')
  // …but the user's other session is not.
  const { error: otherError } = await elsewhere.refreshSession()
  assert.equal(otherError, null)
})

test('refreshSession: an unknown refresh token', async () => {
  const { data, error } = await newAuthClient().refreshSession({ refresh_token: 'no-such-token' })
  assert.deepEqual(data, { user: null, session: null })
  assertAuthError(error, {
    status: 400,
    code: 'refresh_token_not_found',
    message: 'Invalid Refresh Token: Refresh Token Not Found',
  })
})

test('getUser: the user of the session, from the server', async () => {
  const { client, data: up } = await signedUp(uniqueEmail('getuser'), 'correct horse', { data: { display_name: 'Ada' } })
  const { data, error } = await client.getUser()
  assert.equal(error, null)
  assert.deepEqual(data.user, up.user)

  // With an explicit token too, from a client without a session.
  const { data: other, error: otherError } = await newAuthClient().getUser(up.session.access_token)
  assert.equal(otherError, null)
  assert.deepEqual(other.user, up.user)
})

test('updateUser: display name and avatar colour merge into user_metadata; null removes', async () => {
  const { client, data: up } = await signedUp(uniqueEmail('update'), 'correct horse', { data: { display_name: 'Ada' } })
  const events = recordEvents(client)

  const { data, error } = await client.updateUser({ data: { display_name: 'Ada L.', avatar_color: '#e01b24' } })
  assert.equal(error, null)
  assert.deepEqual(data.user.user_metadata, {
    ...up.user.user_metadata,
    display_name: 'Ada L.',
    avatar_color: '#e01b24',
  })
  assert.ok(Date.parse(data.user.updated_at) > Date.parse(up.user.updated_at))
  await waitForEvent(events, 'USER_UPDATED')
  const { data: stored } = await client.getSession()
  assert.equal(stored.session.user.user_metadata.avatar_color, '#e01b24')

  const { data: removed } = await client.updateUser({ data: { avatar_color: null } })
  assert.equal(removed.user.user_metadata.avatar_color, undefined)
  assert.equal(removed.user.user_metadata.display_name, 'Ada L.')

  const { data: fetched } = await client.getUser()
  assert.deepEqual(fetched.user.user_metadata, removed.user.user_metadata)
})

test('updateUser: a new password, then the old one no longer signs in', async () => {
  const email = uniqueEmail('password')
  const { client } = await signedUp(email, 'correct horse')
  const { client: other } = await signedIn(email, 'correct horse')

  const same = await client.updateUser({ password: 'correct horse' })
  assertAuthError(same.error, {
    status: 422,
    code: 'same_password',
    message: 'New password should be different from the old password.',
  })
  const weak = await client.updateUser({ password: 'short' })
  assertAuthError(weak.error, { name: 'AuthWeakPasswordError', status: 422, code: 'weak_password' })
  assert.deepEqual(weak.error.reasons, ['length'])

  const { error } = await client.updateUser({ password: 'battery staple' })
  assert.equal(error, null)
  await signedIn(email, 'battery staple')
  const old = await newAuthClient().signInWithPassword({ email, password: 'correct horse' })
  assertAuthError(old.error, { status: 400, code: 'invalid_credentials' })
  // The other session ended with the old password.
  const { error: otherError } = await other.refreshSession()
  assertAuthError(otherError, { status: 400, code: 'refresh_token_not_found' })
})

test('signOut: scope "others" ends the other sessions only', async () => {
  const email = uniqueEmail('others')
  const { client: me } = await signedUp(email)
  const { client: phone } = await signedIn(email)
  const { data: laptop } = await signedIn(email)

  const { error } = await me.signOut({ scope: 'others' })
  assert.equal(error, null)
  const { data: mine } = await me.getSession()
  assert.ok(mine.session, 'this session stays')
  assert.equal((await me.getUser()).error, null)

  const { error: phoneError } = await phone.refreshSession()
  assertAuthError(phoneError, { status: 400, code: 'refresh_token_not_found' })
  // session_not_found makes auth-js report a missing session.
  const { error: laptopError } = await newAuthClient().getUser(laptop.session.access_token)
  assertAuthError(laptopError, { name: 'AuthSessionMissingError', status: 400, code: undefined })
})

test('signOut: scope "local" ends this session only; default "global" ends all', async () => {
  const email = uniqueEmail('local')
  const { client: a } = await signedUp(email)
  const { client: b, data: bData } = await signedIn(email)
  const events = recordEvents(b)

  const { error } = await b.signOut({ scope: 'local' })
  assert.equal(error, null)
  await waitForEvent(events, 'SIGNED_OUT')
  assert.equal((await b.getSession()).data.session, null)
  const { error: bError } = await newAuthClient().refreshSession({ refresh_token: bData.session.refresh_token })
  assertAuthError(bError, { code: 'refresh_token_not_found' })
  assert.equal((await a.getUser()).error, null)

  const { client: c } = await signedIn(email)
  assert.equal((await c.signOut()).error, null)
  const { error: aError } = await a.refreshSession()
  assertAuthError(aError, { code: 'refresh_token_not_found' })
  const userId = (await sql(`SELECT id FROM auth.users WHERE email = '${email}'`))
  assert.equal(await sql(`SELECT count(*) FROM auth.sessions WHERE user_id = '${userId}'`), '0')
})
