// realtime-client.mjs: the official @supabase/realtime-js against tandem-server.
//
// Clients are created unchanged except for what Node 20 needs (`transport`
// from `ws`: there is no global WebSocket) and a logger that keeps the last
// frames, which failing waits print. Every wait is bounded; a timeout says
// what was expected and what arrived instead.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import { test as nodeTest } from 'node:test'

import { RealtimeClient } from '@supabase/realtime-js'
import WebSocket from 'ws'

import { env } from './realtime-env.mjs'

export { WebSocket }

export const VSNS = ['1.0.0', '2.0.0']

// Generous bounds: they only decide how long a broken server takes to fail.
export const WAIT_MS = 15000

const clients = new Set()

function summarize (value) {
  try {
    return JSON.stringify(value, (key, v) => {
      if (v instanceof ArrayBuffer) return `<ArrayBuffer ${Buffer.from(v).toString('hex')}>`
      if (typeof v === 'string' && v.length > 200) return `${v.slice(0, 200)}…(${v.length} chars)`
      return v
    })
  } catch {
    return String(value)
  }
}

// The logger sees the payload objects the client goes on to use (and may
// change): keep a copy.
function snapshot (value) {
  try {
    return structuredClone(value)
  } catch {
    return value
  }
}

/** The client's recent log lines (pushes, receives, transport events). */
export function recentLog (client, n = 40) {
  if (!client?.tandemLog) return ''
  return client.tandemLog.slice(-n)
    .map((e) => `  ${new Date(e.t).toISOString().slice(11, 23)} ${e.kind}: ${e.msg} ${e.data ?? ''}`)
    .join('\n')
}

/**
 * A RealtimeClient for tandem-server speaking @vsn. Options are passed on
 * (heartbeatIntervalMs, timeout, …); apikey replaces the anon key.
 *
 * client.tandemFrames records every decoded frame received, as
 * {topic, event, payload, status}, for checks the callbacks cannot see (the
 * raw `ids` of a postgres_changes frame).
 */
export function newClient (vsn, { apikey = env.anonKey, ...options } = {}) {
  const log = []
  const frames = new Recorder(`frames (${vsn})`)
  const client = new RealtimeClient(env.wsUrl, {
    params: { apikey },
    vsn,
    transport: WebSocket,
    logger: (kind, msg, data) => {
      log.push({ t: Date.now(), kind, msg, data: summarize(data) })
      if (log.length > 500) log.splice(0, 200)
      if (kind === 'receive') {
        // "<status> <topic> <event> (<ref>)"; only replies have a status
        const words = msg.trim().split(/\s+/)
        const status = ['ok', 'error'].includes(words[0]) && words.length > 2 ? words.shift() : ''
        frames.push({ status, topic: words[0], event: words[1], payload: snapshot(data) })
      }
    },
    ...options,
  })
  client.tandemLog = log
  client.tandemFrames = frames
  frames.client = client
  clients.add(client)
  return client
}

/** Tears down every client made by newClient (for after() hooks). */
export async function closeAllClients () {
  const all = [...clients]
  clients.clear()
  await Promise.all(all.map(async (client) => {
    for (const channel of [...client.getChannels()]) channel.teardown()
    await Promise.race([client.disconnect(), sleep(5000)])
  }))
}

/**
 * Ends the process shortly after the last test: realtime-js leaves 10 s push
 * timers behind (a broadcast without ack is never answered), and a forgotten
 * handle must not hang the suite.
 */
export function exitWhenDone (ms = 2000) {
  setTimeout(() => process.exit(), ms).unref()
}

// Flat tests with a group prefix instead of describe(): meson's TAP parser
// does not read nested subtests, so each test is its own top-level point.
let groupPrefix = ''

/** Runs @body, which declares tests, with their names prefixed by @name. */
export function group (name, body) {
  const saved = groupPrefix
  groupPrefix = `${name}: `
  try {
    body()
  } finally {
    groupPrefix = saved
  }
}

/** node:test's test(), named within the current group. */
export function test (name, ...rest) {
  return nodeTest(groupPrefix + name, ...rest)
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Collects items (callback payloads, statuses, frames) and waits for them,
 * within a bound.
 */
export class Recorder {
  constructor (label, client = null) {
    this.label = label
    this.client = client
    this.items = []
    this.waiters = new Set()
  }

  push = (item) => {
    this.items.push(item)
    for (const waiter of [...this.waiters]) waiter()
  }

  /**
   * Resolves with the first item, at index @from or later, for which @pred
   * holds (already recorded or still to come).
   */
  waitFor (pred = () => true, { timeout = WAIT_MS, what = 'a matching item', from = 0 } = {}) {
    return new Promise((resolve, reject) => {
      let timer = null
      const check = () => {
        for (let i = from; i < this.items.length; i++) {
          if (pred(this.items[i])) {
            this.waiters.delete(check)
            clearTimeout(timer)
            resolve(this.items[i])
            return true
          }
        }
        return false
      }
      if (check()) return
      this.waiters.add(check)
      timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new Error(`${this.label}: no ${what} within ${timeout} ms. Got ${this.items.length} item(s): ` +
                         `${summarize(this.items.slice(-10))}` +
                         (this.client ? `\nRecent frames:\n${recentLog(this.client)}` : '')))
      }, timeout)
    })
  }

  /** Like waitFor, only for items recorded after this call. */
  waitForNext (pred = () => true, options = {}) {
    return this.waitFor(pred, { ...options, from: this.items.length })
  }

  /** Resolves once at least @n items are recorded. */
  async waitForCount (n, { timeout = WAIT_MS, what = `${n} item(s)` } = {}) {
    await this.waitFor(() => this.items.length >= n, { timeout, what })
    return this.items
  }
}

/**
 * Records a channel's events of @type (broadcast, presence, postgres_changes,
 * system). Must be called before subscribe() for presence/postgres_changes.
 */
export function record (channel, type, filter = {}, label = `${channel.topic} ${type} ${summarize(filter)}`) {
  const recorder = new Recorder(label, channel.socket)
  channel.on(type, type === 'system' ? {} : filter, recorder.push)
  return recorder
}

/**
 * Subscribes and records the statuses ({status, err}) the callback gets;
 * returns the recorder.
 */
export function subscribeRecorded (channel) {
  const statuses = new Recorder(`${channel.topic} subscribe statuses`, channel.socket)
  channel.subscribe((status, err) => statuses.push({ status, err: err?.message }))
  channel.tandemStatuses = statuses
  return statuses
}

/**
 * Subscribes and waits for SUBSCRIBED; fails at once on any other status.
 * Returns the status recorder.
 */
export async function join (channel, { timeout = WAIT_MS } = {}) {
  const statuses = subscribeRecorded(channel)
  const first = await statuses.waitFor(() => true, { timeout, what: 'subscribe status' })
  if (first.status !== 'SUBSCRIBED') {
    throw new Error(`${channel.topic}: expected SUBSCRIBED, got ${first.status}` +
                    `${first.err ? ` (${first.err})` : ''}\nRecent frames:\n${recentLog(channel.socket)}`)
  }
  return statuses
}

/** The postgres_changes system message that says a channel's changes flow. */
export const subscribedToPostgres = (topic) => ({
  extension: 'postgres_changes',
  status: 'ok',
  message: 'Subscribed to PostgreSQL',
  channel: topic,
})

/**
 * presenceState() with each meta's presence_ref checked (a non-empty string)
 * and removed, keys sorted: {key: [meta, …]}.
 */
export function plainPresence (state) {
  const out = {}
  for (const key of Object.keys(state).sort()) {
    out[key] = state[key].map((meta) => {
      const { presence_ref: ref, ...rest } = meta
      if (typeof ref !== 'string' || ref.length === 0) {
        throw new Error(`presence meta without a presence_ref: ${summarize(meta)}`)
      }
      return rest
    })
  }
  return out
}

/** Bytes of an ArrayBuffer (or view) as a plain array, for deepEqual. */
export function bytesOf (buffer) {
  if (buffer instanceof ArrayBuffer) return [...new Uint8Array(buffer)]
  if (ArrayBuffer.isView(buffer)) return [...new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)]
  throw new Error(`not binary: ${summarize(buffer)}`)
}
