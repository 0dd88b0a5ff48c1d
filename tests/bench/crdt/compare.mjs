// compare.mjs: runs the C benchmark and the yjs benchmark on the same
// traces, each in its own process, and prints a table.
//   node tests/bench/crdt/compare.mjs BUILD/tests/bench/crdt/crdt-bench [TRACES-DIR] [RUNS]
// Times are the best of RUNS runs (default 3); memory and sizes of the last.
// SPDX-License-Identifier: GPL-3.0-or-later
import { execFileSync } from 'node:child_process'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const cBench = process.argv[2]
const traces = process.argv[3] || join(here, '..', '..', '..', '..', 'shared', 'data', 'editing-traces')
const runs = +(process.argv[4] || 3)
if (!cBench) { console.error('usage: compare.mjs CRDT-BENCH [TRACES-DIR] [RUNS]'); process.exit(2) }

const files = ['automerge-paper.json.gz', 'seph-blog1.json.gz'].map(f => join(traces, f))
const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 })
  .trim().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l))

const best = (impl, cmd, args) => {
  let res = null
  for (let r = 0; r < runs; r++) {
    const out = run(cmd, args)
    if (!res) { res = out; continue }
    out.forEach((o, i) => {
      for (const k of ['replay_ms', 'encode_ms', 'load_ms']) res[i][k] = Math.min(res[i][k], o[k])
      res[i].memory = o.memory
    })
  }
  return res.map(r => ({ impl, ...r }))
}

const c = best('tandem (C)', cBench, files)
const y = best('yjs ' + JSON.parse(run('node', ['-e', `console.log(JSON.stringify({v: require(${JSON.stringify(join(here, '..', '..', 'interop', 'node_modules', 'yjs', 'package.json'))}).version}))`])[0] ? '{}' : '{}').v || '', 'node', ['--expose-gc', join(here, 'bench-yjs.mjs'), ...files])

const pad = (s, n) => String(s).padStart(n)
const fmtMem = b => (b / 1048576).toFixed(2) + ' MiB'
console.log('')
console.log(`${'trace'.padEnd(18)} ${'implementation'.padEnd(16)} ${pad('replay', 10)} ${pad('encode', 9)} ${pad('load', 9)} ${pad('size', 9)} ${pad('memory', 11)}  ok`)
let allGood = true
for (let i = 0; i < files.length; i++) {
  for (const r of [c[i], y[i]]) {
    console.log(`${r.trace.replace('.json.gz', '').padEnd(18)} ${r.impl.padEnd(16)} ${pad(r.replay_ms.toFixed(1) + ' ms', 10)} ${pad(r.encode_ms.toFixed(2) + ' ms', 9)} ${pad(r.load_ms.toFixed(2) + ' ms', 9)} ${pad(r.size, 9)} ${pad(fmtMem(r.memory), 11)}  ${r.ok}`)
  }
  const faster = ['replay_ms', 'encode_ms', 'load_ms'].every(k => c[i][k] < y[i][k])
  const mem = c[i].memory <= y[i].memory / 2
  allGood = allGood && faster && mem && c[i].ok && y[i].ok
  console.log(`${''.padEnd(18)} ${'ratio C/yjs'.padEnd(16)} ${pad((c[i].replay_ms / y[i].replay_ms).toFixed(3), 10)} ${pad((c[i].encode_ms / y[i].encode_ms).toFixed(3), 9)} ${pad((c[i].load_ms / y[i].load_ms).toFixed(3), 9)} ${pad((c[i].size / y[i].size).toFixed(3), 9)} ${pad((c[i].memory / y[i].memory).toFixed(3), 11)}`)
}
console.log('')
console.log(allGood ? 'Goals met: faster than yjs in every row, at most half its memory.' : 'Goals NOT met in some row (see ratios).')
