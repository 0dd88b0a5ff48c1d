// gen-vectors.mjs: produces tests/crdt/yjs-vectors.json with the npm `yjs`
// package (the version pinned in tests/interop/package-lock.json).
//
// Run once after changing it, and commit the output:
//   node tests/interop/yjs/gen-vectors.mjs > tests/crdt/yjs-vectors.json
//
// Everything is deterministic: client ids are fixed and the PRNG is seeded.
// SPDX-License-Identifier: GPL-3.0-or-later
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const yjsVersion = require('yjs/package.json').version

import { hex, mulberry32, dumpRuns } from './util.mjs'

function newDoc (client) {
  const doc = new Y.Doc()
  doc.clientID = client
  return doc
}

const out = { generator: 'tests/interop/yjs/gen-vectors.mjs', yjs: yjsVersion }

// 1. Encoding primitives (lib0)
const uints = [0, 1, 127, 128, 300, 16383, 16384, 2 ** 32 - 1, 264992024, 2 ** 53 - 1]
out.varuint = uints.map(v => { const e = encoding.createEncoder(); encoding.writeVarUint(e, v); return [v, hex(encoding.toUint8Array(e))] })
const ints = [0, 1, -1, 63, 64, -64, -65, 8191, -8191, 2 ** 31 - 1, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53 - 1)]
out.varint = ints.map(v => { const e = encoding.createEncoder(); encoding.writeVarInt(e, v); return [v, hex(encoding.toUint8Array(e))] })
const strs = ['', 'a', 'hé€😀', '\u0000x', '🇰🇷', 'x'.repeat(200)]
out.varstring = strs.map(s => { const e = encoding.createEncoder(); encoding.writeVarString(e, s); return [s, hex(encoding.toUint8Array(e))] })
const anys = [undefined, null, 1, -5, 1.5, 0.1, 2 ** 40, true, false, 'str', { a: 1, b: [true, null, 'x', 1.5] }, [1, [2, [3]]], new Uint8Array([1, 2, 3]), BigInt(-3)]
out.any = anys.map(v => { const e = encoding.createEncoder(); encoding.writeAny(e, v); return hex(encoding.toUint8Array(e)) })

// 2. Single-client scripts: per-transaction updates, full state, diffs
const scripts = [
  { name: 'e1', client: 1, ops: [['i', 0, 'hi'], ['i', 2, '!'], ['d', 0, 1]] },
  { name: 'yrs-compat', client: 264992024, text: 'type', ops: [['i', 0, 'def'], ['i', 0, 'abc'], ['i', 6, 'ghi'], ['d', 2, 5]] },
  { name: 'tombstone-skip', client: 3, ops: [['i', 0, 'abc'], ['d', 1, 1], ['i', 1, 'X'], ['d', 0, 1], ['i', 0, 'Y']] },
  { name: 'astral', client: 5, ops: [['i', 0, 'a😀b'], ['d', 2, 1]] },
  { name: 'astral-left-half', client: 6, ops: [['i', 0, 'x🇰🇷y'], ['d', 1, 1], ['i', 3, 'é'], ['d', 0, 2]] },
  { name: 'insert-in-pair', client: 7, ops: [['i', 0, '😀😀'], ['i', 1, 'z'], ['i', 4, 'w']] },
  { name: 'typing', client: 9, ops: [...'hello world'].map((c, i) => ['i', i, c]).concat([['d', 5, 6], ['i', 5, ', you'], ['i', 0, '> '], ['d', 3, 2]]) },
  { name: 'nul-and-bom', client: 10, ops: [['i', 0, '\ufeffa\u0000b'], ['d', 0, 1]] },
  { name: 'multi-texts', client: 11, ops: [['i', 0, 'one'], ['i', 0, 'two', 'u'], ['d', 1, 1, 'u'], ['i', 3, 'three']] },
]
out.scripts = scripts.map(sc => {
  const doc = newDoc(sc.client)
  const name = sc.text || 't'
  const updates = []
  doc.on('update', u => updates.push(hex(u)))
  const ops = sc.ops.map(([k, idx, arg, tname]) => {
    const t = doc.getText(tname || name)
    const before = updates.length
    if (k === 'i') t.insert(idx, arg); else t.delete(idx, arg)
    return { op: k === 'i' ? 'insert' : 'delete', text: tname || name, index: idx, ...(k === 'i' ? { str: arg } : { len: arg }), updates: updates.slice(before) }
  })
  const texts = {}
  for (const [k, v] of doc.share) texts[k] = v.toString()
  const diffs = []
  for (const sv of [[[sc.client, 1]], [[sc.client, 2]], [[sc.client, 3]], [[sc.client, 1000]], [[4242, 3]]]) {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, sv.length)
    for (const [c, k] of sv) { encoding.writeVarUint(e, c); encoding.writeVarUint(e, k) }
    const svb = encoding.toUint8Array(e)
    diffs.push({ sv: hex(svb), update: hex(Y.encodeStateAsUpdate(doc, svb)) })
  }
  return {
    name: sc.name,
    client: sc.client,
    ops,
    texts,
    runs: dumpRuns(doc.getText(name)),
    state: hex(Y.encodeStateAsUpdate(doc)),
    sv: hex(Y.encodeStateVector(doc)),
    diffs
  }
})

// 3. Multi-client random sessions: every update recorded; applying them in
// any order must give texts, state vector and runs.
const ALPHABET = ['a', 'b', 'c', ' ', '\n', 'é', '€', '😀', '🇰🇷', 'x\u0301', '中']
function randomText (rnd) {
  let s = ''
  const n = 1 + Math.floor(rnd() * 4)
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)]
  return s
}
out.sessions = []
for (let seed = 1; seed <= 6; seed++) {
  const rnd = mulberry32(seed)
  const docs = [newDoc(100 + seed * 10), newDoc(200 + seed), newDoc(50 + seed)]
  const log = []
  docs.forEach((d, i) => d.on('update', (u, origin) => { if (origin !== 'sync') log.push(hex(u)) }))
  for (let step = 0; step < 120; step++) {
    const d = docs[Math.floor(rnd() * docs.length)]
    const t = d.getText('t')
    const r = rnd()
    if (r < 0.55 || t.length === 0) {
      t.insert(Math.floor(rnd() * (t.length + 1)), randomText(rnd))
    } else if (r < 0.85) {
      const i = Math.floor(rnd() * t.length)
      t.delete(i, Math.min(t.length - i, 1 + Math.floor(rnd() * 3)))
    } else {
      const a = docs[Math.floor(rnd() * docs.length)]
      const b = docs[Math.floor(rnd() * docs.length)]
      if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync')
    }
  }
  for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync')
  const d = docs[0]
  out.sessions.push({
    seed,
    updates: log,
    text: d.getText('t').toString(),
    sv: hex(Y.encodeStateVector(d)),
    runs: dumpRuns(d.getText('t')),
    state: hex(Y.encodeStateAsUpdate(d)),
    merged: hex(Y.mergeUpdates(log.map(h => Buffer.from(h, 'hex'))))
  })
}

// 4. Content Tandem does not interpret: it must survive a round trip.
{
  const doc = newDoc(8)
  const t = doc.getText('t')
  t.insert(0, 'abc')
  t.format(1, 1, { bold: true })
  t.insertEmbed(3, { image: 'x.png' })
  const m = doc.getMap('meta')
  m.set('title', 'Doc')
  m.set('title', 'Doc 2')
  m.set('obj', { a: 1, b: [true, null, 'x', 1.5] })
  m.set('bin', new Uint8Array([1, 2, 3]))
  const a = doc.getArray('a')
  a.push([1, 2, 3, 'four', { five: 5 }])
  a.delete(1, 1)
  const nested = new Y.Text('xyz')
  a.insert(0, [nested])
  const nested2 = new Y.Map()
  a.push([nested2])
  nested2.set('k', 'v')
  a.delete(0, 1)
  t.insert(2, 'Z')
  const frag = doc.getXmlFragment('x')
  const el = new Y.XmlElement('p')
  frag.insert(0, [el])
  el.insert(0, [new Y.XmlText('hello')])
  out.opaque = {
    state: hex(Y.encodeStateAsUpdate(doc)),
    text: t.toString(),
    length: t.length,
    sv: hex(Y.encodeStateVector(doc))
  }
}

// 5. Merges with gaps (Skip) and pending structs
{
  const doc = newDoc(3)
  const t = doc.getText('t')
  const ups = []
  doc.on('update', u => ups.push(u))
  t.insert(0, 'a'); t.insert(1, 'b'); t.insert(2, 'c'); t.delete(1, 1)
  const m13 = Y.mergeUpdates([ups[0], ups[2]])
  const d2 = newDoc(4)
  Y.applyUpdate(d2, m13)
  out.merge = {
    updates: ups.map(hex),
    merged_0_2: hex(m13),
    text_after_0_2: d2.getText('t').toString(),
    merged_all: hex(Y.mergeUpdates(ups)),
    final: t.toString(),
    sv_from_0_2: hex(Y.encodeStateVectorFromUpdate(m13))
  }
}

// 6. Relative positions
{
  const doc = newDoc(7)
  const t = doc.getText('t')
  t.insert(0, 'hello')
  t.insert(2, 'XY😀')
  t.delete(0, 1)
  const state = Y.encodeStateAsUpdate(doc)
  const cases = []
  for (let index = 0; index <= t.length; index++) {
    for (const assoc of [0, -1]) {
      const rp = Y.createRelativePositionFromTypeIndex(t, index, assoc)
      cases.push({ index, assoc, binary: hex(Y.encodeRelativePosition(rp)), json: JSON.stringify(rp) })
    }
  }
  // Then more edits; where do the positions land?
  const ups = []
  doc.on('update', u => ups.push(hex(u)))
  t.insert(0, 'AB')
  t.delete(4, 3)
  t.insert(t.length, '!')
  for (const c of cases) {
    const rp = Y.decodeRelativePosition(Buffer.from(c.binary, 'hex'))
    const abs = Y.createAbsolutePositionFromRelativePosition(rp, doc, false)
    c.after = abs ? abs.index : null
  }
  out.relpos = { client: 7, state: hex(state), updates: ups, cases }
}

process.stdout.write(JSON.stringify(out, null, 1) + '\n')
