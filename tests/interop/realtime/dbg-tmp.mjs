import { newClient, join, closeAllClients, exitWhenDone } from '../lib/realtime-client.mjs'
const vsn = '2.0.0'
const a = newClient(vsn), b = newClient(vsn)
const ca = a.channel('t1', {config:{presence:{key:'busy'}}}); ca.on('presence',{event:'sync'},()=>{})
const cb = b.channel('t1', {config:{presence:{key:'w'}}}); cb.on('presence',{event:'sync'},()=>{})
await join(ca); await join(cb)
console.log(await ca.track({i:1})); console.log(await ca.untrack()); console.log(await ca.track({i:3}))
await new Promise(r=>setTimeout(r,300))
for (const f of b.tandemFrames.items) console.log(JSON.stringify(f))
console.log(JSON.stringify(cb.presenceState()))
await closeAllClients(); exitWhenDone(100)
