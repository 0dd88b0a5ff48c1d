// realtime-env.mjs: what tandem-test-env hands a test script, as functions.
//
// The runner (tests/fixtures/tandem-test-env.c) starts a throwaway PostgreSQL
// and tandem-server and passes their coordinates in TANDEM_* variables; this
// module reads them, signs tokens with the server's secret, runs SQL through
// psql and drives the runner's control channel (restart/kill/pause the server).
//
// SPDX-License-Identifier: GPL-3.0-or-later

import { createHmac, randomUUID } from 'node:crypto'
import { execFile } from 'node:child_process'

function required (name) {
  const value = process.env[name]
  if (!value) {
    throw new Error(`${name} is not set: run this script through tandem-test-env ` +
                    '(meson test --suite interop does)')
  }
  return value
}

export const env = {
  get url () { return required('TANDEM_URL') },            // http://127.0.0.1:P
  get wsUrl () { return required('TANDEM_WS_URL') },        // ws://127.0.0.1:P/realtime/v1
  get anonKey () { return required('TANDEM_ANON_KEY') },
  get serviceKey () { return required('TANDEM_SERVICE_KEY') },
  get jwtSecret () { return required('TANDEM_JWT_SECRET') },
  get dbConninfo () { return required('TANDEM_DB_CONNINFO') },
  get controlUrl () { return required('TANDEM_CONTROL_URL') },
  get psql () { return process.env.TANDEM_PSQL || 'psql' },
}

// ---- tokens -----------------------------------------------------------------

function base64url (data) {
  return Buffer.from(data).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
}

/** An HS256 JWT over @claims. */
export function signJwt (claims, secret = env.jwtSecret) {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const body = base64url(JSON.stringify(claims))
  const signature = base64url(createHmac('sha256', secret).update(`${header}.${body}`).digest())
  return `${header}.${body}.${signature}`
}

export const nowSeconds = () => Math.floor(Date.now() / 1000)

/**
 * A token like the server's own keys: {role, exp: now + ttl, iat: now} plus
 * @extra. Pass role: null to leave it out; secret to sign with another
 * key.
 */
export function makeToken ({ role = 'anon', ttl = 3600, extra = {}, secret = env.jwtSecret } = {}) {
  const now = nowSeconds()
  const claims = { iat: now, exp: now + ttl, ...extra }
  if (role !== null) claims.role = role
  return signJwt(claims, secret)
}

// ---- SQL ----------------------------------------------------------------------

/**
 * Runs @text (any number of statements, each committed on its own unless the
 * text has BEGIN/COMMIT) with psql and resolves with its unaligned,
 * tuples-only output. Rejects with psql's error text.
 */
export function sql (text) {
  return new Promise((resolve, reject) => {
    const child = execFile(env.psql,
      ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', env.dbConninfo],
      { timeout: 30000, env: { ...process.env, PGTZ: 'UTC', PGCONNECT_TIMEOUT: '10' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`psql failed: ${stderr || error.message}\n--- SQL:\n${text}`))
        else resolve(stdout.trim())
      })
    child.stdin.end(text)
  })
}

/** A unique, valid SQL/topic identifier starting with @prefix. */
export function uniqueName (prefix) {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`
}

// ---- the runner's control channel -----------------------------------------------

async function controlRequest (method, path) {
  const response = await fetch(`${env.controlUrl}${path}`, { method, signal: AbortSignal.timeout(90000) })
  const text = await response.text()
  if (!response.ok) throw new Error(`tandem-test-env ${method} ${path}: ${response.status} ${text}`)
  return path.endsWith('/log') ? text : JSON.parse(text)
}

export const server = {
  /** {running, paused, pid, url, ws_url, port, anon_key, service_key} */
  status: () => controlRequest('GET', '/status'),
  /** SIGTERM, clean exit, start again on the same port. */
  restart: () => controlRequest('POST', '/server/restart'),
  stop: () => controlRequest('POST', '/server/stop'),
  /** SIGKILL; stays down until start(). */
  kill: () => controlRequest('POST', '/server/kill'),
  start: () => controlRequest('POST', '/server/start'),
  /** SIGSTOP / SIGCONT */
  pause: () => controlRequest('POST', '/server/pause'),
  resume: () => controlRequest('POST', '/server/resume'),
  /** The server's stderr so far. */
  log: () => controlRequest('GET', '/server/log'),
}
