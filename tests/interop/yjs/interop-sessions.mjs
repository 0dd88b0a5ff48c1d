// interop-sessions.mjs: random editing sessions between 3 C peers
// (tests/crdt/crdt-peer.c, one child process) and 2 yjs peers.
//
// Every peer edits concurrently (inserts and deletes, often at the same
// positions, with non-ASCII and astral text). Each local update is broadcast
// to the other peers through per-peer queues that deliver in random order,
// late, sometimes twice, and not at all while a peer is offline. At the end
// everything is delivered and all five must have the same text, the same
// encoded state vector, the same item runs (tombstones included) and
// nothing pending. Then documents, diffs and merged updates encoded by each
// side are loaded by the other.
//
//   node interop-sessions.mjs PATH/TO/crdt-peer [SESSIONS]
// TANDEM_INTEROP_SEED=n runs only that seed. Prints TAP.
// SPDX-License-Identifier: GPL-3.0-or-later
import * as Y from 'yjs'
import { hex, unhex, mulberry32, dumpRuns, CPeerProcess } from './util.mjs'

const exe = process.argv[2]
const sessions = +(process.argv[3] || 25)
const seeds = process.env.TANDEM_INTEROP_SEED ? [+process.env.TANDEM_INTEROP_SEED] : Array.from({ length: sessions }, (_, i) => i + 1)
const ALPHABET = ['a', 'b', 'x', 'Z', ' ', '\n', 'é', '€', '中', '😀', '🇰🇷', 'e\u0301', 'ß']

function yjsPending (doc) {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null
}

async function session (seed, c) {
  const rnd = mulberry32(seed)
  const pick = (a) => a[Math.floor(rnd() * a.length)]
  const int = (n) => Math.floor(rnd() * n)
  const randomText = () => { let s = ''; for (let i = 1 + int(4); i > 0; i--) s += pick(ALPHABET); return s }
  const all = []
  const peers = []
  const usedIds = new Set()
  const newId = () => { let id; do { id = 1 + int(2 ** 31) } while (usedIds.has(id)); usedIds.add(id); return id }

  const broadcast = (from, u) => {
    all.push(u)
    for (const p of peers) {
      if (p === from) continue
      p.queue.push(u)
      if (rnd() < 0.1) p.queue.push(u) // duplicate
    }
  }
  for (let i = 0; i < 3; i++) {
    const p = { kind: 'c', name: `c${seed}_${i}`, client: newId(), queue: [], offline: 0 }
    await c.expect(`new ${p.name} ${p.client}`, 'ok')
    peers.push(p)
  }
  for (let i = 0; i < 2; i++) {
    const doc = new Y.Doc()
    doc.clientID = newId()
    const p = { kind: 'y', name: `y${i}`, doc, queue: [], offline: 0 }
    doc.on('update', (u, origin) => { if (origin !== 'remote') broadcast(p, hex(u)) })
    peers.push(p)
  }

  const length = async (p) => p.kind === 'y' ? p.doc.getText('t').length : +(await c.expect(`len ${p.name}`, 'len'))
  const apply = async (p, u) => {
    if (p.kind === 'y') Y.applyUpdate(p.doc, unhex(u), 'remote')
    else await c.expect(`apply ${p.name} ${u}`, 'ok')
  }
  const deliverOne = async (p) => {
    if (p.queue.length === 0) return
    const i = int(p.queue.length)
    const u = p.queue[i]
    p.queue.splice(i, 1)
    await apply(p, u)
  }

  let hot = 0
  let mid = null
  const steps = 150 + int(150)
  for (let step = 0; step < steps; step++) {
    const p = pick(peers)
    const len = await length(p)
    const r = rnd()
    if (r < 0.5 || len === 0) {
      let pos
      const q = rnd()
      if (q < 0.15) pos = 0
      else if (q < 0.3) pos = len
      else if (q < 0.5) pos = Math.min(hot, len)
      else pos = int(len + 1)
      if (rnd() < 0.1) hot = int(len + 1)
      const s = randomText()
      if (p.kind === 'y') p.doc.getText('t').insert(pos, s)
      else {
        const u = await c.expect(`ins ${p.name} ${pos} ${Buffer.from(s, 'utf8').toString('hex')}`, 'upd')
        if (u !== '-') broadcast(p, u)
      }
    } else if (r < 0.8) {
      const pos = int(len)
      const n = 1 + int(Math.min(5, len - pos))
      if (p.kind === 'y') p.doc.getText('t').delete(pos, n)
      else {
        const u = await c.expect(`del ${p.name} ${pos} ${n}`, 'upd')
        if (u !== '-') broadcast(p, u)
      }
    } else if (r < 0.85) {
      p.offline = step + 5 + int(40) // goes offline for a while
    }
    // deliveries
    for (let k = int(4); k > 0; k--) {
      const q = pick(peers)
      if (q.offline <= step) await deliverOne(q)
    }
    if (step === Math.floor(steps / 2)) {
      mid = {
        y: Y.encodeStateAsUpdate(peers[3].doc),
        c: await c.expect(`state ${peers[0].name}`, 'state')
      }
    }
  }
  // Everyone back online; deliver everything, in random order, with duplicates.
  for (const p of peers) {
    while (p.queue.length) {
      if (rnd() < 0.05) p.queue.push(p.queue[int(p.queue.length)])
      await deliverOne(p)
    }
  }

  // Convergence
  const textHex = async (p) => p.kind === 'y' ? Buffer.from(p.doc.getText('t').toString(), 'utf8').toString('hex') : c.expect(`text ${p.name}`, 'text')
  const sv = async (p) => p.kind === 'y' ? hex(Y.encodeStateVector(p.doc)) : c.expect(`sv ${p.name}`, 'sv')
  const runs = async (p) => p.kind === 'y' ? dumpRuns(p.doc.getText('t')) : c.expect(`runs ${p.name}`, 'runs')
  const pending = async (p) => p.kind === 'y' ? yjsPending(p.doc) : (await c.expect(`pending ${p.name}`, 'pending')) === '1'
  const ref = { text: await textHex(peers[3]), sv: await sv(peers[3]), runs: await runs(peers[3]) }
  for (const p of peers) {
    if (await textHex(p) !== ref.text) throw new Error(`${p.name}: text differs`)
    if (await sv(p) !== ref.sv) throw new Error(`${p.name}: state vector differs`)
    if (await runs(p) !== ref.runs) throw new Error(`${p.name}: item order differs:\n# ${await runs(p)}\n# ${ref.runs}`)
    if (await pending(p)) throw new Error(`${p.name}: has pending structs or deletions`)
  }
  const finalText = Buffer.from(ref.text, 'hex').toString('utf8')

  const checkY = (doc, what) => {
    if (doc.getText('t').toString() !== finalText) throw new Error(`${what}: text differs`)
    if (hex(Y.encodeStateVector(doc)) !== ref.sv) throw new Error(`${what}: state vector differs`)
    if (yjsPending(doc)) throw new Error(`${what}: yjs has pending structs`)
  }
  const checkC = async (name, what) => {
    if (await c.expect(`text ${name}`, 'text') !== ref.text) throw new Error(`${what}: text differs`)
    if (await c.expect(`sv ${name}`, 'sv') !== ref.sv) throw new Error(`${what}: state vector differs`)
    if (await c.expect(`pending ${name}`, 'pending') !== '0') throw new Error(`${what}: pending`)
  }

  // C full state -> yjs, yjs full state -> C
  const z = new Y.Doc()
  Y.applyUpdate(z, unhex(await c.expect(`state ${peers[1].name}`, 'state')))
  checkY(z, 'C state loaded in yjs')
  await c.expect(`new w${seed} 77`, 'ok')
  await c.expect(`apply w${seed} ${hex(Y.encodeStateAsUpdate(peers[4].doc))}`, 'ok')
  await checkC(`w${seed}`, 'yjs state loaded in C')

  // diffs: C diff against a yjs document holding C's mid state, and back
  const z2 = new Y.Doc()
  Y.applyUpdate(z2, unhex(mid.c))
  Y.applyUpdate(z2, unhex(await c.expect(`state ${peers[2].name} ${hex(Y.encodeStateVector(z2))}`, 'state')))
  checkY(z2, 'C diff loaded in yjs')
  await c.expect(`new v${seed} 78`, 'ok')
  await c.expect(`apply v${seed} ${hex(mid.y)}`, 'ok')
  const vsv = await c.expect(`sv v${seed}`, 'sv')
  await c.expect(`apply v${seed} ${hex(Y.encodeStateAsUpdate(peers[3].doc, unhex(vsv)))}`, 'ok')
  await checkC(`v${seed}`, 'yjs diff loaded in C')

  // merged updates, both ways, in a shuffled order
  const shuffled = all.slice()
  for (let i = shuffled.length - 1; i > 0; i--) { const j = int(i + 1); [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]] }
  const ymerged = Y.mergeUpdates(shuffled.map(unhex))
  await c.expect(`new m${seed} 79`, 'ok')
  await c.expect(`apply m${seed} ${hex(ymerged)}`, 'ok')
  await checkC(`m${seed}`, 'yjs merge loaded in C')
  const cmerged = unhex(await c.expect(`merge ${shuffled.join(' ')}`, 'merged'))
  const z3 = new Y.Doc()
  Y.applyUpdate(z3, cmerged)
  checkY(z3, 'C merge loaded in yjs')
  const z4 = new Y.Doc()
  Y.applyUpdate(z4, Y.mergeUpdates([cmerged, Y.encodeStateAsUpdate(new Y.Doc())]))
  checkY(z4, 'C merge re-merged by yjs')
  return { steps, updates: all.length, length: finalText.length }
}

const c = new CPeerProcess(exe)
console.log(`1..${seeds.length}`)
let failed = 0
for (const [i, seed] of seeds.entries()) {
  try {
    const r = await session(seed, c)
    console.log(`ok ${i + 1} - seed ${seed}: ${r.steps} steps, ${r.updates} updates, final length ${r.length}`)
  } catch (e) {
    failed++
    console.log(`not ok ${i + 1} - seed ${seed} (rerun with TANDEM_INTEROP_SEED=${seed})`)
    for (const l of String(e.stack || e).split('\n')) console.log('# ' + l)
  }
}
await c.close()
process.exit(failed ? 1 : 0)
