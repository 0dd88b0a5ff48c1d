// bench-yjs.mjs: the yjs side of the CRDT benchmark (run with --expose-gc).
// Same steps as crdt-bench.c: replay edit by edit, encode, load the
// encoding into a fresh document, and the heap held by the replayed document
// (V8 heapUsed after a full GC, minus the same before the replay).
// SPDX-License-Identifier: GPL-3.0-or-later
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { basename, join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const modules = process.env.TANDEM_NODE_MODULES || join(here, '..', '..', 'interop', 'node_modules')
const require = createRequire(join(modules, 'noop.js'))
const Y = require('yjs')

if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc')

const heap = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed }

for (const path of process.argv.slice(2)) {
  const trace = JSON.parse(gunzipSync(readFileSync(path)))
  const patches = []
  for (const txn of trace.txns) for (const p of txn.patches) patches.push(p)
  const heap0 = heap()
  const t0 = performance.now()
  const doc = new Y.Doc()
  doc.clientID = 1 // as the C side, so encodings have the same size
  const text = doc.getText('text')
  if (trace.startContent) text.insert(0, trace.startContent)
  for (const [pos, ndel, ins] of patches) {
    if (ndel) text.delete(pos, ndel)
    if (ins) text.insert(pos, ins)
  }
  const t1 = performance.now()
  const heap1 = heap()
  const t1b = performance.now()
  const state = Y.encodeStateAsUpdate(doc)
  const t2 = performance.now()
  const copy = new Y.Doc()
  Y.applyUpdate(copy, state)
  const t3 = performance.now()
  const ok = copy.getText('text').toString() === trace.endContent && text.toString() === trace.endContent
  console.log(JSON.stringify({
    trace: basename(path),
    edits: patches.length,
    replay_ms: +(t1 - t0).toFixed(1),
    encode_ms: +(t2 - t1b).toFixed(2),
    load_ms: +(t3 - t2).toFixed(2),
    size: state.length,
    memory: heap1 - heap0,
    ok
  }))
}
