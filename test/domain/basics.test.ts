import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import {
  auditCheckpointSigned,
  auditHash,
  auditKeyring,
  GENESIS_HASH,
  signAuditCheckpoint,
  type AuditContent,
} from '../../src/domain/audit'
import { dateSchema, isRealDate, todayIso } from '../../src/core/fields'
import { reportSchema } from '../../src/domain/report'
import { formatUrn, URN_PATTERN } from '../../src/core/urn'

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
  const key = 'k'.repeat(32)
  it('changes when any part of the row or the previous hash changes', () => {
    const base = auditHash(GENESIS_HASH, content, key)
    expect(base).toMatch(/^[0-9a-f]{64}$/)
    expect(auditHash(GENESIS_HASH, { ...content, recordIds: ['c2'] }, key)).not.toBe(base)
    expect(auditHash(GENESIS_HASH, { ...content, justification: 'other' }, key)).not.toBe(base)
    expect(auditHash('1'.repeat(64), content, key)).not.toBe(base)
  })

  it('is keyed: another key or none gives another hash, and no key is the plain SHA-256 of rows before the key', () => {
    const keyed = auditHash(GENESIS_HASH, content, key)
    expect(auditHash(GENESIS_HASH, content, 'another-key-of-thirty-two-characters')).not.toBe(keyed)
    const plain = auditHash(GENESIS_HASH, content, null)
    expect(plain).not.toBe(keyed)
    const canonical = JSON.stringify([GENESIS_HASH, ...Object.values(content)])
    expect(plain).toBe(createHash('sha256').update(canonical).digest('hex'))
  })

  it('signs checkpoints so that a changed field, another key or a forged signature is refused', () => {
    const keyring = auditKeyring(key)
    const head = { at: '2026-05-01T10:00:00.000Z', rows: 10, lastId: 12, headHash: 'a'.repeat(64), writtenBy: 'cli' }
    const checkpoint = signAuditCheckpoint(keyring, head)
    expect(auditCheckpointSigned(keyring, checkpoint)).toBe(true)
    expect(auditCheckpointSigned(keyring, { ...checkpoint, rows: 9 })).toBe(false)
    expect(auditCheckpointSigned(keyring, { ...checkpoint, signature: 'f'.repeat(64) })).toBe(false)
    expect(auditCheckpointSigned(auditKeyring('another-key-of-thirty-two-characters'), checkpoint)).toBe(false)
    // After a rotation the old key still verifies what it signed; new checkpoints carry the new key's id.
    const rotated = auditKeyring('another-key-of-thirty-two-characters', [key])
    expect(auditCheckpointSigned(rotated, checkpoint)).toBe(true)
    expect(signAuditCheckpoint(rotated, head).keyId).not.toBe(checkpoint.keyId)
  })
})
