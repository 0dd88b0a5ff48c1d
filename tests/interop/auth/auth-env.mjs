// auth-env.mjs: the official @supabase/auth-js (and supabase-js) against
// tandem-server's /auth/v1, as the interop scripts of this folder use them.
//
// Clients are created the way supabase-js creates its auth client (apikey and
// Authorization headers with the anon key), unchanged otherwise, with sessions
// kept in memory and no auto-refresh timer unless a test asks for one. What
// tandem-test-env passes (URL, keys, secret, database) comes from
// ../lib/realtime-env.mjs.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict'
import { createHmac, randomUUID } from 'node:crypto'
import { test as nodeTest } from 'node:test'

import { AuthClient } from '@supabase/auth-js'
import { createClient } from '@supabase/supabase-js'
import WebSocket from 'ws'

import { env, nowSeconds, sql } from '../lib/realtime-env.mjs'

export { env, nowSeconds, sql }

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// GoTrue's times: RFC 3339 in UTC, fraction without trailing zeros.
export const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d*[1-9])?Z$/
export const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/

// GoTrue's user object, member by member, in its order.
export const USER_KEYS = [
  'id', 'aud', 'role', 'email', 'email_confirmed_at', 'phone', 'confirmed_at', 'last_sign_in_at',
  'app_metadata', 'user_metadata', 'identities', 'created_at', 'updated_at', 'is_anonymous',
]

const clients = new Set()

/**
 * An AuthClient for /auth/v1. @key replaces the anon key (null: no apikey
 * header at all); other options go to AuthClient.
 */
export function newAuthClient ({ key = env.anonKey, ...options } = {}) {
  const headers = key === null ? {} : { apikey: key, Authorization: `Bearer ${key}` }
  const client = new AuthClient({
    url: `${env.url}/auth/v1`,
    headers,
    persistSession: false,
    autoRefreshToken: false,
    detectSessionInUrl: false,
    ...options,
  })
  clients.add(client)
  return client
}

/** A supabase-js client (Node 20 has no WebSocket: realtime gets `ws`). */
export function newSupabaseClient (options = {}) {
  const client = createClient(env.url, env.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket },
    ...options,
  })
  clients.add(client.auth)
  return client
}

/** Stops the auto-refresh timers tests may have started. */
export async function stopAllClients () {
  for (const client of clients) {
    try {
      await client.stopAutoRefresh()
    } catch {
      // already stopped
    }
  }
  clients.clear()
}

/** Test scripts end here even if a library left a timer behind. */
export function exitWhenDone (ms = 1000) {
  setTimeout(() => process.exit(), ms).unref()
}

/** A fresh address; @prefix may have capitals (GoTrue lowers them). */
export function uniqueEmail (prefix) {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`
}

/** Records the client's auth events: {event, session}. */
export function recordEvents (client) {
  const events = []
  const { data } = client.onAuthStateChange((event, session) => {
    events.push({ event, session })
  })
  events.unsubscribe = () => data.subscription.unsubscribe()
  return events
}

/** Waits until @events has one named @name (bounded). */
export async function waitForEvent (events, name, ms = 10000) {
  const deadline = Date.now() + ms
  for (;;) {
    const found = events.find((e) => e.event === name)
    if (found) return found
    if (Date.now() > deadline) {
      throw new Error(`no ${name} event; got ${events.map((e) => e.event).join(', ') || 'none'}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Verifies an HS256 token with the server's secret and returns its claims. */
export function verifyJwt (token, secret = env.jwtSecret) {
  const [header, payload, signature] = token.split('.')
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
  assert.equal(signature, expected, 'the token is signed with the server\'s secret')
  assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' })
  return JSON.parse(Buffer.from(payload, 'base64url').toString())
}

/** Asserts a recent GoTrue time. */
export function assertRecentTime (text, what = 'time') {
  assert.match(text, TIME, what)
  assert.ok(Math.abs(Date.parse(text) - Date.now()) < 60000, `${what} ${text} is recent`)
}

/** Asserts an auth-js error: its class name, status, code and message. */
export function assertAuthError (error, { name = 'AuthApiError', status, code, message }) {
  assert.ok(error, 'an error')
  assert.equal(error.name, name, `${error.name}: ${error.message}`)
  assert.equal(error.__isAuthError, true)
  if (status !== undefined) assert.equal(error.status, status)
  assert.equal(error.code, code)
  if (message !== undefined) assert.equal(error.message, message)
}

/** The stored form of a refresh token (what auth.refresh_tokens keeps). */
export async function storedToken (token) {
  return sql(`SELECT encode(extensions.digest('${token}', 'sha256'), 'hex')`)
}

/** Moves the last change of a refresh token @seconds into the past. */
export async function ageRefreshToken (token, seconds) {
  const hash = await storedToken(token)
  await sql(`UPDATE auth.refresh_tokens SET updated_at = updated_at - interval '${seconds} seconds'
              WHERE token = '${hash}'`)
}

// Flat tests: meson's TAP parser reads top-level points only.
export const test = nodeTest

/** Signs up @email and returns {client, data} (asserting success). */
export async function signedUp (email, password = 'correct horse', options = {}) {
  const client = newAuthClient()
  const { data, error } = await client.signUp({ email, password, options })
  assert.equal(error, null, error?.message)
  assert.ok(data.session)
  return { client, data }
}

/** A client signed in as @email (asserting success). */
export async function signedIn (email, password = 'correct horse') {
  const client = newAuthClient()
  const { data, error } = await client.signInWithPassword({ email, password })
  assert.equal(error, null, error?.message)
  return { client, data }
}
