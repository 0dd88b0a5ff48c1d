// interop-traces.mjs: the sequential editing traces replayed edit by edit
// by yjs and by the C CRDT (same client id) give byte-identical documents:
// same full-state encoding, same state vector, and each loads the other's.
//   node interop-traces.mjs PATH/TO/crdt-peer TRACES-DIR
// Prints TAP.
// SPDX-License-Identifier: GPL-3.0-or-later
import * as Y from 'yjs'
import { readFileSync, existsSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { join } from 'node:path'
import { hex, unhex, CPeerProcess } from './util.mjs'

const [exe, dir] = process.argv.slice(2)
const traces = ['automerge-paper.json.gz', 'seph-blog1.json.gz']
const c = new CPeerProcess(exe)
console.log(`1..${traces.length}`)
let failed = 0
for (const [i, name] of traces.entries()) {
  try {
    const path = join(dir, name)
    if (!existsSync(path)) throw new Error(`editing trace ${path} is missing`)
    const trace = JSON.parse(gunzipSync(readFileSync(path)))
    const doc = new Y.Doc()
    doc.clientID = 1
    const t = doc.getText('t')
    if (trace.startContent) t.insert(0, trace.startContent)
    for (const txn of trace.txns) {
      for (const [pos, ndel, ins] of txn.patches) {
        if (ndel) t.delete(pos, ndel)
        if (ins) t.insert(pos, ins)
      }
    }
    if (t.toString() !== trace.endContent) throw new Error('yjs did not reach endContent')
    await c.expect(`new ${name} 1`, 'ok')
    await c.expect(`replay ${name} ${path}`, 'ok')
    const cState = await c.expect(`state ${name}`, 'state')
    const yState = hex(Y.encodeStateAsUpdate(doc))
    if (cState !== yState) throw new Error(`full states differ (${cState.length / 2} vs ${yState.length / 2} bytes)`)
    if (await c.expect(`sv ${name}`, 'sv') !== hex(Y.encodeStateVector(doc))) throw new Error('state vectors differ')
    const z = new Y.Doc()
    Y.applyUpdate(z, unhex(cState))
    if (z.getText('t').toString() !== trace.endContent) throw new Error('C encoding loaded in yjs differs')
    await c.expect(`new ${name}-y 2`, 'ok')
    await c.expect(`apply ${name}-y ${yState}`, 'ok')
    const text = Buffer.from(await c.expect(`text ${name}-y`, 'text'), 'hex').toString('utf8')
    if (text !== trace.endContent) throw new Error('yjs encoding loaded in C differs')
    console.log(`ok ${i + 1} - ${name}: identical ${yState.length / 2}-byte encodings`)
  } catch (e) {
    failed++
    console.log(`not ok ${i + 1} - ${name}`)
    for (const l of String(e.stack || e).split('\n')) console.log('# ' + l)
  }
}
await c.close()
process.exit(failed ? 1 : 0)
