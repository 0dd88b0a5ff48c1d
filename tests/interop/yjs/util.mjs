// util.mjs: helpers shared by the yjs interop scripts.
// SPDX-License-Identifier: GPL-3.0-or-later
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

export const hex = (u8) => Buffer.from(u8).toString('hex')
export const unhex = (h) => new Uint8Array(Buffer.from(h, 'hex'))

export function mulberry32 (seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6D2B79F5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Items of a Y.Text in list order, tombstones included, merged into runs;
// the same format as tandem_ydoc_dump_runs().
export function dumpRuns (ytext) {
  const runs = []
  for (let n = ytext._start; n !== null; n = n.right) {
    const last = runs[runs.length - 1]
    if (last && last.c === n.id.client && last.clock + last.len === n.id.clock && last.d === n.deleted) {
      last.len += n.length
    } else {
      runs.push({ c: n.id.client, clock: n.id.clock, len: n.length, d: n.deleted })
    }
  }
  return runs.map(r => `${r.c}:${r.clock}+${r.len}${r.d ? 'd' : ''}`).join(' ')
}

// The C peer process (tests/crdt/crdt-peer.c): one command, one reply line.
export class CPeerProcess {
  constructor (exe) {
    this.child = spawn(exe, [], { stdio: ['pipe', 'pipe', 'inherit'] })
    this.waiting = []
    this.rl = createInterface({ input: this.child.stdout })
    this.rl.on('line', line => {
      const w = this.waiting.shift()
      if (w) w(line)
    })
    this.exited = new Promise(resolve => this.child.on('exit', code => resolve(code)))
  }

  cmd (line) {
    return new Promise(resolve => {
      this.waiting.push(resolve)
      this.child.stdin.write(line + '\n')
    })
  }

  async expect (line, word) {
    const reply = await this.cmd(line)
    const sp = reply.indexOf(' ')
    const head = sp < 0 ? reply : reply.slice(0, sp)
    if (head !== word) throw new Error(`C peer: "${line.slice(0, 80)}" gave "${reply.slice(0, 200)}"`)
    return sp < 0 ? '' : reply.slice(sp + 1)
  }

  async close () {
    this.child.stdin.write('quit\n')
    return this.exited
  }
}
