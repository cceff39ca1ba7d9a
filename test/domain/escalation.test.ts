import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { finalisationAllowedFrom, parseGovUkBankHolidays, WorkingDayCalendar } from '../../src/core/calendar'
import { DEFAULT_LADDER, ladderStepsSchema, resolveLadder, stepsReached } from '../../src/modules/pre-charge/escalation'
import { fieldErrors } from '../../src/core/fields'

const shipped = parseGovUkBankHolidays(JSON.parse(fs.readFileSync('reference-data/bank-holidays.json', 'utf8')))
const calendar = new WorkingDayCalendar(shipped.holidays, shipped)

describe('the escalation ladder', () => {
  it('reaches each step on its working day after the due date', () => {
    const steps = (today: string) => stepsReached('2026-12-21', today, calendar).map((s) => [s.step.id, s.reachedOn])
    expect(steps('2026-12-18')).toEqual([])
    expect(steps('2026-12-21')).toEqual([['reminder', '2026-12-21']])
    // 5 working days after Mon 21 Dec 2026: 22, 23, 24, 29, 30 (25 and 28 are bank holidays).
    expect(steps('2026-12-30')).toEqual([
      ['reminder', '2026-12-21'],
      ['police_supervisor', '2026-12-30'],
    ])
    expect(steps('2027-12-31').map(([id]) => id)).toEqual(DEFAULT_LADDER.map((s) => s.id))
  })

  it('waits at a step dated past the known calendar instead of failing', () => {
    expect(stepsReached('2027-12-20', '2028-06-01', calendar).map((s) => s.step.id)).toEqual([
      'reminder',
      'police_supervisor',
    ])
  })

  it('allows finalisation a number of months after the plan', () => {
    expect(finalisationAllowedFrom('2026-01-31', 3)).toBe('2026-05-01')
    expect(finalisationAllowedFrom('2026-11-25', 3)).toBe('2027-02-25')
  })
})

describe('ladders set per force and area', () => {
  const step = (id: string, afterWorkingDays: number) => ({
    id,
    afterWorkingDays,
    roles: ['owner' as const],
    title: id,
  })
  const settings = [
    { forceCode: null, areaCode: null, steps: [step('everywhere', 0)] },
    { forceCode: null, areaCode: 'cps-south-west', steps: [step('area', 0)] },
    { forceCode: 'avon-and-somerset', areaCode: null, steps: [step('force', 0)] },
    { forceCode: 'avon-and-somerset', areaCode: 'cps-wessex', steps: [step('both', 0)] },
  ]
  it('uses force and area together, then the force, then the area, then everywhere, then the default', () => {
    const id = (force: string, area: string, from = settings) => resolveLadder(from, force, area).steps[0]!.id
    expect(id('avon-and-somerset', 'cps-wessex')).toBe('both')
    expect(id('avon-and-somerset', 'cps-south-west')).toBe('force')
    expect(id('devon-and-cornwall', 'cps-south-west')).toBe('area')
    expect(id('thames-valley', 'cps-thames-and-chiltern')).toBe('everywhere')
    expect(id('thames-valley', 'cps-thames-and-chiltern', [])).toBe(DEFAULT_LADDER[0]!.id)
  })

  it('climbs the ladder it is given', () => {
    const short = [step('first', 0), step('last', 2)]
    expect(stepsReached('2026-12-21', '2026-12-23', calendar, short).map((s) => s.step.id)).toEqual(['first', 'last'])
  })

  it('accepts the default ladder and names every problem of a bad one on its field', () => {
    expect(ladderStepsSchema.safeParse(DEFAULT_LADDER).success).toBe(true)
    const bad = ladderStepsSchema.safeParse([
      { id: 'reminder', afterWorkingDays: 5, roles: ['owner'], title: 'One' },
      { id: 'reminder', afterWorkingDays: 5, roles: [], title: '' },
      { id: 'Bad Name!', afterWorkingDays: 2.5, roles: ['chief_constable'], title: 'x'.repeat(201) },
      { id: 'late', afterWorkingDays: 9999, roles: ['owner'], title: '<script>alert(1)</script>' },
    ])
    expect(bad.success).toBe(false)
    const errors = fieldErrors(bad.error!)
    expect(errors).toMatchObject({
      '1.roles': 'Select who is told at this step',
      '1.title': 'Enter what the task says',
      '2.id': expect.stringMatching(/lower-case/),
      '2.afterWorkingDays': 'Enter a whole number of working days',
      '2.roles.0': 'Select who is told from the list',
      '2.title': expect.stringMatching(/200 characters/),
      '3.afterWorkingDays': 'The number of working days must be 250 or fewer',
    })
    // The rules between steps are named alongside the problems of each step.
    const crossed = ladderStepsSchema.safeParse([
      { id: 'reminder', afterWorkingDays: 5, roles: ['owner'], title: 'One' },
      { id: 'reminder', afterWorkingDays: 5, roles: [], title: '' },
    ])
    expect(fieldErrors(crossed.error!)).toEqual({
      '1.id': 'Each step needs a different name',
      '1.afterWorkingDays': 'Each step must come more working days after the due date than the step before',
      '1.roles': 'Select who is told at this step',
      '1.title': 'Enter what the task says',
    })
    expect(fieldErrors(ladderStepsSchema.safeParse([]).error!)).toEqual({ body: 'A ladder needs at least one step' })
    expect(fieldErrors(ladderStepsSchema.safeParse('steps').error!)).toEqual({ body: 'Enter the steps as a list' })
  })
})
