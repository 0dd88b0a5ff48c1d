// What auth-js makes of tandem-server's errors: the API key checked as
// Supabase's gateway does, bearer-token errors on /user, and GoTrue's legacy
// error shape (no X-Supabase-Api-Version), which auth-js still reads. Each
// error is compared with the raw HTTP answer too.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { after } from 'node:test'

import {
  assertAuthError, env, exitWhenDone, newAuthClient, signedUp, stopAllClients, test, uniqueEmail,
} from './auth-env.mjs'
import { makeToken } from '../lib/realtime-env.mjs'

after(async () => {
  await stopAllClients()
  exitWhenDone()
})

async function raw (path, { method = 'POST', headers = {}, body } = {}) {
  const response = await fetch(`${env.url}/auth/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, body: await response.json() }
}

test('no API key: 401 "No API key found in request", as Supabase\'s gateway answers', async () => {
  const { error } = await newAuthClient({ key: null }).signInWithPassword({ email: 'a@example.com', password: 'x' })
  assertAuthError(error, { status: 401, code: undefined, message: 'No API key found in request' })

  const answer = await raw('/token?grant_type=password', { body: { email: 'a@example.com', password: 'x' } })
  assert.equal(answer.status, 401)
  assert.deepEqual(answer.body, {
    message: 'No API key found in request',
    hint: 'No \'apikey\' request header or url param was found.',
  })
})

test('a wrong API key: 401 "Invalid API key"', async () => {
  for (const key of ['not-a-key', makeToken({ role: 'anon', secret: 'some-other-secret-0123456789abcdef' }),
    makeToken({ role: 'authenticated' })]) {
    const { error } = await newAuthClient({ key }).signUp({ email: uniqueEmail('badkey'), password: 'secret-123' })
    assertAuthError(error, { status: 401, code: undefined, message: 'Invalid API key' })
  }
  // The service-role key is a key too.
  const { error } = await newAuthClient({ key: env.serviceKey }).signUp({
    email: uniqueEmail('servicekey'), password: 'secret-123',
  })
  assert.equal(error, null)
})

test('getUser with a token that is not a session\'s: GoTrue\'s bad_jwt', async () => {
  const client = newAuthClient()
  const cases = [
    [env.anonKey, 403, 'invalid claim: missing sub claim'],
    [makeToken({ role: 'authenticated', ttl: -60, extra: { sub: '0b9c5c47-3c8f-4e3c-9d1e-4b0e7a1c2f00' } }), 403,
      'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired'],
    [makeToken({ role: 'authenticated', secret: 'some-other-secret-0123456789abcdef',
      extra: { sub: '0b9c5c47-3c8f-4e3c-9d1e-4b0e7a1c2f00' } }), 403,
    'invalid JWT: unable to parse or verify signature, token signature is invalid: signature is invalid'],
    [makeToken({ role: 'authenticated', extra: { sub: 'alice' } }), 400, 'invalid claim: sub claim must be a UUID'],
  ]
  for (const [token, status, message] of cases) {
    const { data, error } = await client.getUser(token)
    assert.deepEqual(data, { user: null })
    assertAuthError(error, { status, code: 'bad_jwt', message })
  }

  const { error } = await client.getUser(makeToken({
    role: 'authenticated', extra: { sub: '0b9c5c47-3c8f-4e3c-9d1e-4b0e7a1c2f00', aud: 'authenticated' },
  }))
  assertAuthError(error, { status: 403, code: 'user_not_found', message: 'User from sub claim in JWT does not exist' })
})

test('/user without a bearer token: no_authorization (401)', async () => {
  const answer = await raw('/user', { method: 'GET', headers: { apikey: env.anonKey, 'X-Supabase-Api-Version': '2024-01-01' } })
  assert.equal(answer.status, 401)
  assert.equal(answer.headers.get('x-supabase-api-version'), '2024-01-01')
  assert.deepEqual(answer.body, { code: 'no_authorization', message: 'This endpoint requires a valid Bearer token' })
})

test('the legacy error shape, without X-Supabase-Api-Version, is read by auth-js the same way', async () => {
  const email = uniqueEmail('legacy')
  await signedUp(email)
  // auth-js always sends the header: take it out on the way.
  const legacyFetch = (url, init = {}) => {
    const headers = new Headers(init.headers)
    headers.delete('X-Supabase-Api-Version')
    return fetch(url, { ...init, headers })
  }
  const client = newAuthClient({ fetch: legacyFetch })

  const { error } = await client.signInWithPassword({ email, password: 'wrong horse' })
  assertAuthError(error, { status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' })
  const weak = await client.signUp({ email: uniqueEmail('legacyweak'), password: '123' })
  assertAuthError(weak.error, { name: 'AuthWeakPasswordError', status: 422, code: 'weak_password' })
  assert.deepEqual(weak.error.reasons, ['length'])
  const taken = await client.signUp({ email, password: 'correct horse' })
  assertAuthError(taken.error, { status: 422, code: 'user_already_exists', message: 'User already registered' })

  const answer = await raw('/token?grant_type=password', {
    headers: { apikey: env.anonKey },
    body: { email, password: 'wrong horse' },
  })
  assert.equal(answer.status, 400)
  assert.equal(answer.headers.get('x-supabase-api-version'), null)
  assert.deepEqual(answer.body, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' })
})

test('settings: GoTrue\'s shape, email on and confirmed at once', async () => {
  const answer = await raw('/settings', { method: 'GET', headers: { apikey: env.anonKey } })
  assert.equal(answer.status, 200)
  const { external, ...rest } = answer.body
  assert.deepEqual(rest, {
    disable_signup: false,
    mailer_autoconfirm: true,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false,
  })
  assert.equal(external.email, true)
  assert.equal(external.phone, false)
  assert.deepEqual(Object.entries(external).filter(([, on]) => on).map(([name]) => name), ['email'])
})
