// The same flow through @supabase/supabase-js's createClient(), which wraps
// auth-js with its own headers (apikey, Authorization, X-Client-Info): sign
// up, sign out, sign in, read and update the user, refresh, errors.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after } from 'node:test'

import {
  assertAuthError, exitWhenDone, newSupabaseClient, stopAllClients, test, uniqueEmail, verifyJwt,
} from './auth-env.mjs'

after(async () => {
  await stopAllClients()
  exitWhenDone()
})

test('supabase.auth: sign up, sign out, sign in, user, refresh', async () => {
  const supabase = newSupabaseClient()
  const email = uniqueEmail('supabase')

  const up = await supabase.auth.signUp({ email, password: 'correct horse', options: { data: { display_name: 'Ada' } } })
  assert.equal(up.error, null)
  assert.equal(up.data.user.email, email)
  assert.equal(up.data.session.user.user_metadata.display_name, 'Ada')
  assert.equal((await supabase.auth.signOut()).error, null)
  assert.equal((await supabase.auth.getSession()).data.session, null)

  const bad = await supabase.auth.signInWithPassword({ email, password: 'wrong horse' })
  assertAuthError(bad.error, { status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' })

  const { data, error } = await supabase.auth.signInWithPassword({ email, password: 'correct horse' })
  assert.equal(error, null)
  assert.equal(data.user.id, up.data.user.id)
  assert.equal(verifyJwt(data.session.access_token).role, 'authenticated')

  const user = await supabase.auth.getUser()
  assert.equal(user.error, null)
  assert.equal(user.data.user.id, up.data.user.id)

  const updated = await supabase.auth.updateUser({ data: { avatar_color: '#2ec27e' } })
  assert.equal(updated.error, null)
  assert.equal(updated.data.user.user_metadata.avatar_color, '#2ec27e')
  assert.equal(updated.data.user.user_metadata.display_name, 'Ada')

  const refreshed = await supabase.auth.refreshSession()
  assert.equal(refreshed.error, null)
  assert.notEqual(refreshed.data.session.refresh_token, data.session.refresh_token)
  assert.equal(refreshed.data.user.user_metadata.avatar_color, '#2ec27e')

  assert.equal((await supabase.auth.signOut()).error, null)
  const again = await supabase.auth.refreshSession({ refresh_token: refreshed.data.session.refresh_token })
  assertAuthError(again.error, { status: 400, code: 'refresh_token_not_found' })
})
