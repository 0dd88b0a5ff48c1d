// peer-client.mjs: a realtime-js client in a process of its own, so a test
// can kill it (SIGKILL: the server sees the TCP connection drop without a
// WebSocket close). Not a test by itself.
//
//   node peer-client.mjs '{"vsn":"2.0.0","topic":"t","key":"carol","track":{…}}'
//
// Prints one JSON object per line on stdout: {"status", "err"} for each
// subscribe status and {"tracked": <track() result>} once it has tracked.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import { RealtimeClient } from '@supabase/realtime-js'
import WebSocket from 'ws'

const config = JSON.parse(process.argv[2])
const report = (object) => process.stdout.write(`${JSON.stringify(object)}\n`)

const client = new RealtimeClient(process.env.TANDEM_WS_URL, {
  params: { apikey: process.env.TANDEM_ANON_KEY },
  vsn: config.vsn,
  transport: WebSocket,
})
const channel = client.channel(config.topic, { config: { presence: { key: config.key } } })
channel.on('presence', { event: 'sync' }, () => {})
channel.subscribe(async (status, err) => {
  report({ status, err: err?.message })
  if (status === 'SUBSCRIBED' && config.track) report({ tracked: await channel.track(config.track) })
})

// Never outlive a test that forgot us.
setTimeout(() => process.exit(3), 120000).unref()
setInterval(() => {}, 60000)
