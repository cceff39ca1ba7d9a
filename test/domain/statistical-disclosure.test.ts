import { describe, expect, it } from 'vitest'
import {
  oneWayLines,
  protect,
  protectedRate,
  roundToBase,
  twoWayLines,
  type AdditiveLine,
  type ProtectedCell,
} from '../../src/modules/performance/statistical-disclosure'

const RULES = { threshold: 10, base: 5 }

/** A small deterministic generator (mulberry32) so every run attacks the same tables. */
function random(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function withTotals(interior: number[], lines: AdditiveLine[]): number[] {
  const cells = [...interior]
  // Totals are filled in line order; a line's parts are always known by the time it is reached in these layouts.
  for (const line of lines) cells[line.total] = line.parts.reduce((s, p) => s + cells[p]!, 0)
  return cells
}

/** The interior cells each cell adds up (itself for an interior cell). */
function interiorOf(cellCount: number, interiorCount: number, lines: AdditiveLine[]): number[][] {
  const sets = Array.from({ length: cellCount }, (_, i) => (i < interiorCount ? [i] : []))
  for (let round = 0; round < 3; round++) {
    for (const line of lines) sets[line.total] = [...new Set(line.parts.flatMap((p) => sets[p]!))]
  }
  return sets
}

/**
 * The attacker: tries every value (0..max) of every suppressed interior cell and keeps the guesses that agree with
 * every published total, each shown cell being anything that rounds to what was published for it. Returns, for each
 * suppressed interior cell, the smallest and largest value it can take.
 */
function feasibleRanges(published: ProtectedCell[], interiorCount: number, lines: AdditiveLine[], max: number) {
  const half = RULES.base / 2
  const sums = interiorOf(published.length, interiorCount, lines)
  const unknown = published.slice(0, interiorCount).flatMap((p, i) => (p.value === null ? [i] : []))
  const lo = published.map((p) => (p.value === null ? 0 : Math.max(0, Math.ceil(p.value - half))))
  const hi = published.map((p) => (p.value === null ? 0 : Math.ceil(p.value + half) - 1))
  const shownTotals = published.flatMap((p, i) => (i >= interiorCount && p.value !== null ? [i] : []))
  const ranges = new Map<number, [number, number]>()
  const agrees = (t: number) => {
    const sumLo = sums[t]!.reduce((s, c) => s + lo[c]!, 0)
    const sumHi = sums[t]!.reduce((s, c) => s + hi[c]!, 0)
    return sumHi >= lo[t]! && sumLo <= hi[t]!
  }
  // A total is checked as soon as every suppressed cell inside it has a guess, so hopeless guesses stop early.
  const checkAt = unknown.map((_, k) =>
    shownTotals.filter((t) => {
      const inside = sums[t]!.filter((c) => unknown.includes(c))
      return inside.length > 0 && inside.every((c) => unknown.indexOf(c) <= k) && inside.includes(unknown[k]!)
    }),
  )
  const visit = (k: number) => {
    if (k === unknown.length) {
      if (!shownTotals.every(agrees)) return
      for (const c of unknown) {
        const r = ranges.get(c)
        ranges.set(c, r ? [Math.min(r[0], lo[c]!), Math.max(r[1], lo[c]!)] : [lo[c]!, lo[c]!])
      }
      return
    }
    const cell = unknown[k]!
    for (let v = 0; v <= max; v++) {
      lo[cell] = v
      hi[cell] = v
      if (checkAt[k]!.every(agrees)) visit(k + 1)
    }
  }
  visit(0)
  return ranges
}

describe('statistical disclosure control', () => {
  it('draws the line exactly at the threshold: 9 is suppressed, 10 and 11 are shown', () => {
    expect(protect([9, 10, 11], [], RULES)).toEqual([
      { value: null, suppressed: 'primary' },
      { value: 10, suppressed: false },
      { value: 10, suppressed: false },
    ])
    expect(protect([9, 10, 11], [], { threshold: 11, base: 1 }).map((c) => c.suppressed)).toEqual([
      'primary',
      'primary',
      false,
    ])
    expect([12, 13, 14].map((c) => roundToBase(c, 5))).toEqual([10, 15, 15])
  })

  it('suppresses counts below the threshold (zero included) and rounds the rest to base 5', () => {
    const counts = withTotals([0, 4, 8, 13, 27, 150], oneWayLines(6))
    const out = protect(counts, oneWayLines(6), RULES)
    expect(out.slice(0, 3).map((c) => c.suppressed)).toEqual(['primary', 'primary', 'primary'])
    expect(out.slice(3).map((c) => c.value)).toEqual([15, 25, 150, 200])
    expect(roundToBase(12, 5)).toBe(10)
    expect(roundToBase(13, 5)).toBe(15)
    expect(roundToBase(15, 10)).toBe(20)
  })

  it('suppresses a second cell when a single suppressed cell could be taken from the total', () => {
    const counts = withTotals([4, 40, 25], oneWayLines(3))
    const out = protect(counts, oneWayLines(3), RULES)
    expect(out.map((c) => c.suppressed)).toEqual(['primary', false, 'secondary', false])
    // 69 - 40 would give 29 for the two suppressed cells together, never 4 alone.
    const ranges = feasibleRanges(out, 3, oneWayLines(3), 80)
    expect(ranges.get(0)![1] - ranges.get(0)![0]).toBeGreaterThanOrEqual(RULES.threshold - 1)
  })

  it('suppresses a further cell when the suppressed cells of a line add up to less than the threshold', () => {
    const counts = withTotals([2, 3, 40, 55], oneWayLines(4))
    const out = protect(counts, oneWayLines(4), RULES)
    // 2 + 3 = 5 could be read off as (total - shown cells); the 40 goes too.
    expect(out.map((c) => c.suppressed)).toEqual(['primary', 'primary', 'secondary', false, false])
  })

  it('hides a rate when either count behind it is suppressed, and works it from the published counts', () => {
    const [small, a, b] = protect([7, 22, 41], [], RULES)
    expect(protectedRate(small!, b!)).toBeNull()
    expect(protectedRate(b!, small!)).toBeNull()
    expect(protectedRate(a!, b!)).toBe(50) // 20 of 40 as published, not 22 of 41
  })

  it('cannot be worked back in one-way tables: each suppressed small count stays anywhere in 0-9 or wider', () => {
    const next = random(7)
    let attacked = 0
    for (let t = 0; t < 200; t++) {
      const groups = 2 + Math.floor(next() * 4)
      const interior = Array.from({ length: groups }, () =>
        next() < 0.4 ? Math.floor(next() * 10) : 10 + Math.floor(next() * 40),
      )
      const lines = oneWayLines(groups)
      const out = protect(withTotals(interior, lines), lines, RULES)
      const suppressed = out.slice(0, groups).filter((c) => c.suppressed).length
      if (suppressed > 3) continue
      attacked++
      const ranges = feasibleRanges(out, groups, lines, 70)
      out.forEach((cell, i) => {
        if (cell.suppressed !== 'primary' || i >= groups) return
        const range = ranges.get(i)
        expect(range, `table ${interior.join(',')}: the true values are always feasible`).toBeDefined()
        const [lo, hi] = range!
        expect(hi - lo, `table ${interior.join(',')} cell ${i}`).toBeGreaterThanOrEqual(RULES.threshold - 1)
      })
    }
    expect(attacked).toBeGreaterThan(100)
  })

  it('cannot be worked back in two-way tables with row, column and grand totals', () => {
    const next = random(11)
    let attacked = 0
    for (let t = 0; t < 300 && attacked < 40; t++) {
      const interior = Array.from({ length: 6 }, () =>
        next() < 0.3 ? Math.floor(next() * 10) : 10 + Math.floor(next() * 30),
      )
      const lines = twoWayLines(2, 3)
      const out = protect(withTotals(interior, lines), lines, RULES)
      const suppressed = out.slice(0, 6).filter((c) => c.suppressed).length
      if (suppressed === 0 || suppressed > 4) continue
      attacked++
      // No line is left with exactly one suppressed member.
      for (const line of lines) {
        expect([...line.parts, line.total].filter((m) => out[m]!.suppressed).length).not.toBe(1)
      }
      const ranges = feasibleRanges(out, 6, lines, 45)
      out.forEach((cell, i) => {
        if (cell.suppressed !== 'primary' || i >= 6) return
        const range = ranges.get(i)
        expect(range, `table ${interior.join(',')}: the true values are always feasible`).toBeDefined()
        const [lo, hi] = range!
        expect(hi - lo, `table ${interior.join(',')} cell ${i}`).toBeGreaterThanOrEqual(RULES.threshold - 1)
      })
    }
    expect(attacked).toBeGreaterThan(20)
  })

  it('honours another threshold and base', () => {
    const out = protect(withTotals([4, 6, 30, 31], oneWayLines(4)), oneWayLines(4), { threshold: 5, base: 10 })
    expect(out.map((c) => c.value)).toEqual([null, null, 30, 30, 70])
  })
})
