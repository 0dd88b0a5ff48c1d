// auth-js refreshes by itself (the server runs with --jwt-expiry 60, under
// auth-js's 90 s margin): getSession() hands out a refreshed session, and the
// auto-refresh ticker keeps a session fresh, each time with a rotated refresh
// token the server accepts.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after } from 'node:test'

import {
  exitWhenDone, newAuthClient, recordEvents, stopAllClients, test, uniqueEmail, verifyJwt, waitForEvent,
} from './auth-env.mjs'

after(async () => {
  await stopAllClients()
  exitWhenDone()
})

test('the access tokens live --jwt-expiry seconds', async () => {
  const client = newAuthClient()
  const { data, error } = await client.signUp({ email: uniqueEmail('short'), password: 'correct horse' })
  assert.equal(error, null)
  assert.equal(data.session.expires_in, 60)
  const claims = verifyJwt(data.session.access_token)
  assert.equal(claims.exp - claims.iat, 60)
})

test('getSession() refreshes a session close to its expiry', async () => {
  const client = newAuthClient()
  const events = recordEvents(client)
  const { data: up } = await client.signUp({ email: uniqueEmail('nearexpiry'), password: 'correct horse' })

  const { data, error } = await client.getSession()
  assert.equal(error, null)
  await waitForEvent(events, 'TOKEN_REFRESHED')
  // A rotated refresh token; the access token may be the same text when
  // issued within the same second.
  assert.notEqual(data.session.refresh_token, up.session.refresh_token)
  assert.equal(verifyJwt(data.session.access_token).session_id, verifyJwt(up.session.access_token).session_id)
  assert.equal((await client.getUser()).error, null)
})

test('the auto-refresh ticker keeps the session fresh', async () => {
  const client = newAuthClient({ autoRefreshToken: true })
  const events = recordEvents(client)
  const { data: up } = await client.signUp({ email: uniqueEmail('ticker'), password: 'correct horse' })
  await client.startAutoRefresh()
  const refreshed = await waitForEvent(events, 'TOKEN_REFRESHED', 40000)
  await client.stopAutoRefresh()
  assert.notEqual(refreshed.session.refresh_token, up.session.refresh_token)
  const { data, error } = await newAuthClient().getUser(refreshed.session.access_token)
  assert.equal(error, null)
  assert.equal(data.user.id, up.user.id)
})
