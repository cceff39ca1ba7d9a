import { describe, expect, it } from 'vitest'
import { auditHash, GENESIS_HASH, type AuditContent } from '../../src/domain/audit'
import { dateSchema, isRealDate, todayIso } from '../../src/domain/fields'
import { reportSchema } from '../../src/domain/report'
import { formatUrn, URN_PATTERN } from '../../src/domain/urn'

describe('URN', () => {
  it('is force code, unit, five-digit serial and two-digit year', () => {
    expect(formatUrn({ forceUrnCode: '52', unit: 'RS', serial: 123, year: 2026 })).toBe('52RS0012326')
    expect(URN_PATTERN.test('52RS0012326')).toBe(true)
  })
  it('refuses impossible parts', () => {
    expect(() => formatUrn({ forceUrnCode: '5', unit: 'RS', serial: 1, year: 2026 })).toThrow()
    expect(() => formatUrn({ forceUrnCode: '52', unit: 'RS', serial: 100000, year: 2026 })).toThrow()
  })
})

describe('dates', () => {
  const schema = dateSchema({ label: 'Date', name: 'the date' }, { notFuture: true })
  it('knows real dates', () => {
    expect(isRealDate('2024-02-29')).toBe(true)
    expect(isRealDate('2025-02-29')).toBe(false)
    expect(isRealDate('2026-13-01')).toBe(false)
  })
  it('gives GOV.UK style messages', () => {
    expect(schema.safeParse('').error!.issues[0]!.message).toBe('Enter the date')
    expect(schema.safeParse('2025-02-30').error!.issues[0]!.message).toBe('The date must be a real date')
    expect(schema.safeParse('31/01/2025').error!.issues[0]!.message).toBe(
      'The date must be a date in the form YYYY-MM-DD',
    )
    expect(schema.safeParse('1800-01-01').error!.issues[0]!.message).toBe('The date must be after 1 January 1900')
    expect(schema.safeParse('9999-12-31').error!.issues[0]!.message).toBe('The date must be today or in the past')
    expect(schema.safeParse(todayIso()).success).toBe(true)
  })

  it("today is London's date, either side of midnight in summer and winter, asked in any order", () => {
    const at = (iso: string) => todayIso(new Date(iso))
    expect(at('2026-06-30T22:59:59Z')).toBe('2026-06-30') // 23:59:59 BST
    expect(at('2026-06-30T23:00:00Z')).toBe('2026-07-01') // midnight BST
    expect(at('2026-06-30T22:59:30Z')).toBe('2026-06-30') // back a minute
    expect(at('2026-12-31T23:59:59Z')).toBe('2026-12-31') // GMT
    expect(at('2027-01-01T00:00:00Z')).toBe('2027-01-01')
    expect(at('2027-01-01T00:00:59Z')).toBe('2027-01-01')
    expect(() => todayIso(new Date('not a date'))).toThrow(RangeError)
  })
})

describe('report', () => {
  const valid = {
    crimeReference: '52/1/26',
    reportedOn: '2026-01-10',
    offences: [{ code: '19C', committedFrom: '2026-01-08' }],
    complainants: [{ name: 'A' }],
    suspects: [{ unknown: true }],
  }
  it('accepts the minimal body of the contract', () => {
    expect(reportSchema.safeParse(valid).success).toBe(true)
  })
  it('names every bad field', () => {
    const parsed = reportSchema.safeParse({
      ...valid,
      reportedOn: 'yesterday',
      offences: [{ code: 19, committedFrom: '2026-01-11', committedTo: '2026-01-01' }],
      complainants: [],
    })
    const paths = parsed.error!.issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(
      expect.arrayContaining(['reportedOn', 'offences.0.code', 'offences.0.committedTo', 'complainants']),
    )
  })
  it('refuses an offence after the report and control characters in text', () => {
    expect(
      reportSchema
        .safeParse({ ...valid, offences: [{ code: '19C', committedFrom: '2026-01-11' }] })
        .error!.issues[0]!.path.join('.'),
    ).toBe('offences.0.committedFrom')
    expect(reportSchema.safeParse({ ...valid, crimeReference: 'a\u0000b' }).success).toBe(false)
  })
  it('keeps script and SQL as plain text (escaping is the page’s job)', () => {
    const parsed = reportSchema.safeParse({
      ...valid,
      complainants: [{ name: "<script>alert(1)</script>'; DROP TABLE cases; --" }],
    })
    expect(parsed.success).toBe(true)
  })
})

describe('audit hash chain', () => {
  const content: AuditContent = {
    at: '2026-01-01T00:00:00.000Z',
    actorId: 'a',
    actorOrg: 'o',
    actorRole: 'investigator',
    operation: 'consultation',
    action: 'view_case',
    recordType: 'case',
    recordIds: ['c1'],
    justification: 'why',
    correlationId: 'r1',
    resultCount: null,
    outcome: 'ok',
  }
  it('changes when any part of the row or the previous hash changes', () => {
    const base = auditHash(GENESIS_HASH, content)
    expect(base).toMatch(/^[0-9a-f]{64}$/)
    expect(auditHash(GENESIS_HASH, { ...content, recordIds: ['c2'] })).not.toBe(base)
    expect(auditHash(GENESIS_HASH, { ...content, justification: 'other' })).not.toBe(base)
    expect(auditHash('1'.repeat(64), content)).not.toBe(base)
  })
})
