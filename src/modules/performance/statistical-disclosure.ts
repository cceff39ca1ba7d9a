/**
 * Statistical disclosure control for published figures (docs/sources.md section 10): counts below the threshold are
 * suppressed, the others rounded to the base, and further cells are suppressed so that no suppressed cell can be
 * worked out from totals and the other cells. A table is a list of cells and the additive lines between them
 * (parts that sum to a total), so one-way tables (groups and their total) and two-way tables (with row and column
 * totals) are protected by the same code.
 */
export interface DisclosureRules {
  /** Counts below this are suppressed (ONS: 10). */
  threshold: number
  /** Counts at or above the threshold are rounded to the nearest multiple of this (ONS: 5). */
  base: number
}

/** Bumped whenever the rules or the method change, and logged with every release. */
export const DISCLOSURE_METHOD_VERSION = 'sdc-1: primary <threshold, complementary by line, rounded to base'

export interface AdditiveLine {
  parts: readonly number[]
  total: number
}

export interface ProtectedCell {
  /** The rounded count, or null when suppressed. */
  value: number | null
  suppressed: false | 'primary' | 'secondary'
}

export function roundToBase(count: number, base: number): number {
  return Math.floor(count / base + 0.5) * base
}

/**
 * The interval a careful reader can place each cell in from what is published: a rounded count v is a true count in
 * [v - base/2, v + base/2), a suppressed one anything from 0 up, and each line's parts sum to its total. Propagated
 * to a fixed point. Used by `protect` to check its own work (the tests attack the output independently).
 */
export function intervalsFromPublished(
  published: readonly (number | null)[],
  lines: readonly AdditiveLine[],
  base: number,
): [number, number][] {
  const bounds: [number, number][] = published.map((v) =>
    v === null ? [0, Infinity] : [Math.max(0, Math.ceil(v - base / 2)), Math.ceil(v + base / 2) - 1],
  )
  for (let changed = true, rounds = 0; changed && rounds < 50; rounds++) {
    changed = false
    const tighten = (cell: number, lo: number, hi: number) => {
      const [oldLo, oldHi] = bounds[cell]!
      const next: [number, number] = [Math.max(oldLo, lo), Math.min(oldHi, hi)]
      if (next[0] !== oldLo || next[1] !== oldHi) {
        bounds[cell] = next
        changed = true
      }
    }
    for (const line of lines) {
      const sumLo = line.parts.reduce((s, p) => s + bounds[p]![0], 0)
      const sumHi = line.parts.reduce((s, p) => s + bounds[p]![1], 0)
      tighten(line.total, sumLo, sumHi)
      const [totalLo, totalHi] = bounds[line.total]!
      for (const p of line.parts) {
        const others = line.parts.filter((o) => o !== p)
        const othersHi = others.reduce((s, o) => s + bounds[o]![1], 0)
        tighten(p, totalLo - othersHi, totalHi - (sumLo - bounds[p]![0]))
      }
    }
  }
  return bounds
}

/**
 * Suppresses and rounds a table. Primary suppression: every count below the threshold (zero included). Then, until
 * nothing changes: a line with exactly one suppressed member, or whose suppressed parts add up to less than the
 * threshold while its total is shown, has its smallest shown part (or, failing that, its total) suppressed too; and
 * any primary cell a reader could still narrow to fewer values than the suppression range itself has the smallest
 * shown cell of its lines suppressed.
 */
export function protect(counts: readonly number[], lines: readonly AdditiveLine[], rules: DisclosureRules) {
  const state: ProtectedCell['suppressed'][] = counts.map((c) => (c < rules.threshold ? 'primary' : false))
  const suppressSmallest = (candidates: readonly number[]) => {
    const shown = candidates.filter((c) => !state[c])
    if (shown.length === 0) return false
    const smallest = shown.reduce((a, b) => (counts[b]! < counts[a]! ? b : a))
    state[smallest] = 'secondary'
    return true
  }
  for (let changed = true; changed;) {
    changed = false
    for (const line of lines) {
      const members = [...line.parts, line.total]
      const hidden = members.filter((m) => state[m])
      const hiddenParts = line.parts.filter((p) => state[p])
      const sumHidden = hiddenParts.reduce((s, p) => s + counts[p]!, 0)
      const exposed =
        hidden.length === 1 || (hiddenParts.length > 0 && !state[line.total] && sumHidden < rules.threshold)
      if (exposed) changed = suppressSmallest(line.parts) || suppressSmallest([line.total]) || changed
    }
    if (changed) continue
    const published = counts.map((c, i) => (state[i] ? null : roundToBase(c, rules.base)))
    const bounds = intervalsFromPublished(published, lines, rules.base)
    for (let cell = 0; cell < counts.length && !changed; cell++) {
      if (state[cell] !== 'primary') continue
      const [lo, hi] = bounds[cell]!
      if (hi - lo >= rules.threshold - 1) continue
      const around = lines
        .filter((l) => l.total === cell || l.parts.includes(cell))
        .flatMap((l) => [...l.parts, l.total])
      changed = suppressSmallest(around)
    }
  }
  return counts.map((c, i): ProtectedCell => ({
    value: state[i] ? null : roundToBase(c, rules.base),
    suppressed: state[i] ?? false,
  }))
}

/** Lines for a one-way table: groups 0..n-1 and their total at index n. */
export function oneWayLines(groups: number): AdditiveLine[] {
  return [{ parts: Array.from({ length: groups }, (_, i) => i), total: groups }]
}

/**
 * Lines for a two-way table laid out row by row: r*c interior cells, then r row totals, then c column totals, then
 * the grand total.
 */
export function twoWayLines(rows: number, columns: number): AdditiveLine[] {
  const cell = (r: number, c: number) => r * columns + c
  const rowTotal = (r: number) => rows * columns + r
  const columnTotal = (c: number) => rows * columns + rows + c
  const grand = rows * columns + rows + columns
  const range = (n: number) => Array.from({ length: n }, (_, i) => i)
  return [
    ...range(rows).map((r) => ({ parts: range(columns).map((c) => cell(r, c)), total: rowTotal(r) })),
    ...range(columns).map((c) => ({ parts: range(rows).map((r) => cell(r, c)), total: columnTotal(c) })),
    { parts: range(rows).map(rowTotal), total: grand },
    { parts: range(columns).map(columnTotal), total: grand },
  ]
}

/** A rate published beside protected counts: from the rounded counts, hidden when either count is suppressed. */
export function protectedRate(numerator: ProtectedCell, denominator: ProtectedCell): number | null {
  if (numerator.value === null || denominator.value === null || denominator.value === 0) return null
  return Math.round((numerator.value / denominator.value) * 1000) / 10
}
