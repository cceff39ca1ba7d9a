import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorld, type TestWorld } from '../helpers/database'
import { performanceOf } from '../../src/modules/performance/service'

/**
 * Disclosure control on figures large enough to be shown: the demo alone is below the threshold everywhere (every
 * row suppressed), so the rounding rules are checked here on synthetic cases, where both forces have hundreds.
 */
let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
  await world.services.generator.generate({
    cases: 400,
    seed: 18,
    years: 1,
    until: '2026-09-30',
    forces: ['avon-and-somerset', 'thames-valley'],
    bulk: true,
  })
}, 240_000)
afterAll(async () => world?.close())

describe('figures an analyst may see', () => {
  it('show counts of at least the threshold, rounded to the base, and suppress the rest', async () => {
    const analyst = await world.as('analyst')
    let shown = 0
    let suppressed = 0
    for (const measure of ['charge_rate', 'attrition_funnel', 'police_outcomes']) {
      for (const by of ['force', 'quarter'] as const) {
        const result = await performanceOf(world.services).read(analyst, measure, { by }, 'api')
        expect(result.disclosureControl).toMatchObject({ applied: true, threshold: 10, base: 5 })
        for (const row of [...result.rows, ...result.total]) {
          for (const count of [row.numerator, row.denominator]) {
            if (count === null) continue
            shown++
            expect(count % 5, `${measure} by ${by}`).toBe(0)
            expect(count, `${measure} by ${by}`).toBeGreaterThanOrEqual(10)
          }
          if (row.suppressed) {
            suppressed++
            expect(row.value).toBeNull()
          }
        }
      }
    }
    // Both branches were taken: figures shown (and checked) as well as figures suppressed.
    expect(shown).toBeGreaterThan(20)
    expect(suppressed).toBeGreaterThan(0)
  })
})
