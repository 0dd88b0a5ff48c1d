// rest-env.mjs: the official @supabase/postgrest-js against tandem-server's
// /rest/v1, as the interop scripts of this folder use it.
//
// Clients are made the way supabase-js makes its PostgREST client: the URL
// <TANDEM_URL>/rest/v1, the apikey header with the anon key and an
// Authorization header with the caller's token (the anon key when nobody is
// signed in), Node's own fetch. What tandem-test-env passes comes from
// ../lib/realtime-env.mjs.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import { PostgrestClient } from '@supabase/postgrest-js'

import { env, makeToken, sql } from '../lib/realtime-env.mjs'

export { env, makeToken, sql }

export const USER_A = '11111111-1111-4111-8111-111111111111'
export const USER_B = '22222222-2222-4222-8222-222222222222'

/** A PostgrestClient for @token (default: the anon key) on @schema. */
export function client ({ token = env.anonKey, schema } = {}) {
  return new PostgrestClient(`${env.url}/rest/v1`, {
    headers: { apikey: env.anonKey, Authorization: `Bearer ${token}` },
    schema,
  })
}

/** A signed-in user's access token, with GoTrue's usual claims. */
export function userToken (sub, email = 'someone@example.com') {
  return makeToken({ role: 'authenticated', extra: { sub, aud: 'authenticated', email } })
}

/** The rows of @query as PostgreSQL's json_agg renders them, parsed. */
export async function rowsOf (query) {
  return JSON.parse(await sql(`SELECT coalesce(json_agg(t), '[]')::text FROM (${query}) t`))
}

/** The ids of @data, in order. */
export const ids = (data) => data.map((row) => row.id)

/** Asserts a postgrest-js result succeeded; returns it. */
export function ok (result) {
  if (result.error) {
    throw new Error(`expected success, got ${result.status}: ${JSON.stringify(result.error)}`)
  }
  return result
}
