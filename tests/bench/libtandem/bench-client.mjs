// bench-client.mjs: @supabase/realtime-js on Node, the peer of bench-client.c
//
//   node bench-client.mjs receive WS_BASE KEY COUNT
//   node bench-client.mjs rtt WS_BASE KEY SAMPLES
//
// WS_BASE is ws://127.0.0.1:P/realtime/v1 (realtime-js appends /websocket).
// Same output lines as bench-client.c. Every wait is bounded.
// SPDX-License-Identifier: GPL-3.0-or-later
import { createRequire } from 'node:module'
import { dirname, join as pathJoin } from 'node:path'
import { fileURLToPath } from 'node:url'

// The pinned packages live with the interop tests.
const require = createRequire(pathJoin(dirname(fileURLToPath(import.meta.url)), '..', '..', 'interop', 'package.json'))
const { RealtimeClient } = require('@supabase/realtime-js')
const WebSocket = require('ws')

const [mode, base, key, n] = process.argv.slice(2)
const count = +n
const IDLE_TIMEOUT_MS = 5000
const PAYLOAD = { n: 1, text: 'a small broadcast payload' }

const cpuUs = () => { const u = process.cpuUsage(); return u.user + u.system }
const nowNs = () => process.hrtime.bigint()

function join (self) {
  const client = new RealtimeClient(base, { params: { apikey: key }, transport: WebSocket, vsn: '2.0.0' })
  const channel = client.channel('bench', { config: { broadcast: { self, ack: false } } })
  return { client, channel }
}

function subscribe (channel) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('join timed out')), 20000)
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') { clearTimeout(timer); resolve() } else if (status !== 'CLOSED') reject(err || new Error(status))
    })
  })
}

async function receive () {
  const { client, channel } = join(false)
  let received = 0; let firstNs = 0n; let lastNs = 0n; let firstCpu = 0; let lastCpu = 0
  let done
  const finished = new Promise((resolve) => { done = resolve })
  let idle = null
  const armIdle = () => { clearTimeout(idle); idle = setTimeout(() => done(), IDLE_TIMEOUT_MS) }
  channel.on('broadcast', { event: 'm' }, () => {
    const t = nowNs()
    if (received === 0) { firstNs = t; firstCpu = cpuUs() }
    received++
    lastNs = t
    if (received === count) { lastCpu = cpuUs(); done() } else if (received % 1000 === 0) armIdle()
  })
  await subscribe(channel)
  console.log('ready')
  armIdle()
  await finished
  clearTimeout(idle)
  if (received < count) lastCpu = cpuUs()
  const seconds = Number(lastNs - firstNs) / 1e9
  console.log(`received=${received} seconds=${seconds.toFixed(3)} rate=${((received - 1) / seconds).toFixed(0)} ` +
              `cpu_us=${lastCpu - firstCpu} cpu_us_per_msg=${((lastCpu - firstCpu) / (received - 1)).toFixed(3)}`)
  client.disconnect()
  process.exit(received === count ? 0 : 1)
}

async function rtt () {
  const { client, channel } = join(true)
  let back = null
  channel.on('broadcast', { event: 'm' }, () => { if (back) back() })
  await subscribe(channel)
  const lat = []
  for (let i = 0; i < count + 100; i++) {
    const t0 = nowNs()
    await Promise.race([
      new Promise((resolve) => { back = resolve; channel.send({ type: 'broadcast', event: 'm', payload: PAYLOAD }) }),
      new Promise((resolve, reject) => setTimeout(() => reject(new Error('a broadcast did not come back')), 5000))
    ])
    if (i >= 100) lat.push(Number(nowNs() - t0) / 1e6)
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  lat.sort((a, b) => a - b)
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]
  console.log(`samples=${lat.length} p50_ms=${q(0.5).toFixed(3)} p99_ms=${q(0.99).toFixed(3)}`)
  client.disconnect()
  process.exit(0)
}

const main = mode === 'receive' ? receive : mode === 'rtt' ? rtt : null
if (!main) { console.error('usage: bench-client.mjs receive|rtt WS_BASE KEY N'); process.exit(2) }
main().catch((e) => { console.error('bench-client.mjs:', e.message); process.exit(1) })
