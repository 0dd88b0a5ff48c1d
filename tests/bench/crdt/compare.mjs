// compare.mjs: runs the C benchmark (crdt-bench) and the yjs benchmark
// (bench-yjs.mjs) on the same traces, each trace in a fresh process, and
// prints a table.
//   node tests/bench/crdt/compare.mjs BUILD/tests/bench/crdt/crdt-bench [TRACES-DIR] [RUNS]
// Times are the best of RUNS runs (default 3); memory is the median.
// SPDX-License-Identifier: GPL-3.0-or-later
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const cBench = process.argv[2]
const traces = process.argv[3] || join(here, '..', '..', '..', '..', 'shared', 'data', 'editing-traces')
const runs = +(process.argv[4] || 3)
if (!cBench) { console.error('usage: compare.mjs CRDT-BENCH [TRACES-DIR] [RUNS]'); process.exit(2) }

const modules = process.env.TANDEM_NODE_MODULES || join(here, '..', '..', 'interop', 'node_modules')
const yjsVersion = JSON.parse(readFileSync(join(modules, 'yjs', 'package.json'), 'utf8')).version
const files = ['automerge-paper.json.gz', 'seph-blog1.json.gz']

const once = (cmd, args) => JSON.parse(execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 })
  .trim().split('\n').filter(l => l.startsWith('{')).pop())
const median = a => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)]

function measure (cmd, args) {
  const rs = Array.from({ length: runs }, () => once(cmd, args))
  const r = { ...rs[0] }
  for (const k of ['replay_ms', 'encode_ms', 'load_ms']) r[k] = Math.min(...rs.map(x => x[k]))
  r.memory = median(rs.map(x => x.memory))
  r.ok = rs.every(x => x.ok)
  return r
}

const rows = []
for (const f of files) {
  const path = join(traces, f)
  rows.push({
    trace: f.replace('.json.gz', ''),
    c: measure(cBench, [path]),
    y: measure('node', ['--expose-gc', join(here, 'bench-yjs.mjs'), path])
  })
}

const pad = (s, n) => String(s).padStart(n)
const ms = v => v.toFixed(v < 10 ? 2 : 1) + ' ms'
const mib = b => (b / 1048576).toFixed(2) + ' MiB'
console.log(`\nCRDT benchmark: replay edit by edit, encode, load the encoding, memory held after replay (best of ${runs})`)
console.log(`${'trace'.padEnd(16)} ${'implementation'.padEnd(14)} ${pad('edits', 7)} ${pad('replay', 11)} ${pad('encode', 10)} ${pad('load', 10)} ${pad('size (B)', 9)} ${pad('memory', 10)}  ok`)
let good = true
for (const { trace, c, y } of rows) {
  for (const [name, r] of [['tandem C', c], [`yjs ${yjsVersion}`, y]]) {
    console.log(`${trace.padEnd(16)} ${name.padEnd(14)} ${pad(r.edits, 7)} ${pad(ms(r.replay_ms), 11)} ${pad(ms(r.encode_ms), 10)} ${pad(ms(r.load_ms), 10)} ${pad(r.size, 9)} ${pad(mib(r.memory), 10)}  ${r.ok}`)
  }
  const ratio = (a, b) => (a / b).toFixed(3)
  console.log(`${''.padEnd(16)} ${'C / yjs'.padEnd(14)} ${pad('', 7)} ${pad(ratio(c.replay_ms, y.replay_ms), 11)} ${pad(ratio(c.encode_ms, y.encode_ms), 10)} ${pad(ratio(c.load_ms, y.load_ms), 10)} ${pad(ratio(c.size, y.size), 9)} ${pad(ratio(c.memory, y.memory), 10)}`)
  good = good && c.ok && y.ok && ['replay_ms', 'encode_ms', 'load_ms'].every(k => c[k] < y[k]) && c.memory <= y.memory / 2
}
console.log(good ? '\nGoals met: C faster than yjs in every row, with at most half its memory.\n'
  : '\nGoals NOT met in some row (see the ratios).\n')
