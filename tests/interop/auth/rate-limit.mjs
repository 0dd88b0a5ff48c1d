// The password rate limit (the server runs with --auth-rate-limit 3): the
// fourth sign-in or sign-up from this address within the window is GoTrue's
// 429 over_request_rate_limit, as auth-js reports it; refreshing goes on.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after } from 'node:test'

import {
  assertAuthError, exitWhenDone, newAuthClient, signedUp, stopAllClients, test, uniqueEmail,
} from './auth-env.mjs'

after(async () => {
  await stopAllClients()
  exitWhenDone()
})

test('the fourth password attempt in the window is refused with 429', async () => {
  const email = uniqueEmail('limited')
  const { client } = await signedUp(email, 'correct horse')                                   // 1
  const wrong = await newAuthClient().signInWithPassword({ email, password: 'wrong horse' }) // 2
  assertAuthError(wrong.error, { status: 400, code: 'invalid_credentials' })
  const right = await newAuthClient().signInWithPassword({ email, password: 'correct horse' }) // 3
  assert.equal(right.error, null)

  const over = await newAuthClient().signInWithPassword({ email, password: 'correct horse' })
  assert.deepEqual(over.data, { user: null, session: null })
  assertAuthError(over.error, { status: 429, code: 'over_request_rate_limit', message: 'Request rate limit reached' })
  const signUp = await newAuthClient().signUp({ email: uniqueEmail('late'), password: 'correct horse' })
  assertAuthError(signUp.error, { status: 429, code: 'over_request_rate_limit' })

  // Sessions carry on.
  const { error } = await client.refreshSession()
  assert.equal(error, null)
  assert.equal((await client.getUser()).error, null)
})
