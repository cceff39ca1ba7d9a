import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import { calendarRepository } from './calendar-repository'
import type { Database } from './schema'

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../reference-data')
const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T

interface OrganisationsFile {
  source: string
  policeForces: { code: string; name: string }[]
  cpsAreas: { code: string; name: string }[]
  forceAreas: { force: string; area: string; isDefault: boolean }[]
}
interface OutcomesFile {
  source: string
  items: { code: number; name: string; group: string; isOutcome: boolean }[]
}
interface OffencesFile {
  source: string
  items: { code: string; name: string; category: 'rape' | 'other_sexual'; adultRape: boolean }[]
}

export const SERVICE_ORG = { code: 'casebridge-service', name: 'Casebridge service' }
/** The service's own account: scheduled work (escalations) is recorded under it. It cannot sign in. */
export const SYSTEM_USER_ID = '00000000-0000-4000-8000-000000000001'

export async function ensureSystemUser(db: Kysely<Database>) {
  await db
    .insertInto('users')
    .values({
      id: SYSTEM_USER_ID,
      email: 'system@casebridge.invalid',
      name: 'Casebridge scheduler',
      org_code: SERVICE_ORG.code,
      password_hash: '!',
      active: false,
      locked_until: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
}

/**
 * Loads the shipped reference data where it is missing. Rows already present are left alone, so an
 * administrator's edits survive every restart and migration.
 */
export async function ensureReferenceData(db: Kysely<Database>): Promise<void> {
  const orgs = read<OrganisationsFile>('organisations.json')
  const outcomes = read<OutcomesFile>('outcome-types.json')
  const offences = read<OffencesFile>('offence-codes.json')
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('organisations')
      .values([
        // Force URN codes are assigned in list order; they are placeholders until an administrator sets the official ones.
        ...orgs.policeForces.map((f, i) => ({
          code: f.code,
          name: f.name,
          kind: 'police_force' as const,
          urn_code: String(i + 1).padStart(2, '0'),
          source: orgs.source,
        })),
        ...orgs.cpsAreas.map((a) => ({
          code: a.code,
          name: a.name,
          kind: 'cps_area' as const,
          urn_code: null,
          source: orgs.source,
        })),
        {
          code: SERVICE_ORG.code,
          name: SERVICE_ORG.name,
          kind: 'service' as const,
          urn_code: null,
          source: 'Casebridge',
        },
      ])
      .onConflict((oc) => oc.column('code').doNothing())
      .execute()
    await trx
      .insertInto('force_areas')
      .values(orgs.forceAreas.map((m) => ({ force_code: m.force, area_code: m.area, is_default: m.isDefault })))
      .onConflict((oc) => oc.columns(['force_code', 'area_code']).doNothing())
      .execute()
    await trx
      .insertInto('outcome_types')
      .values(
        outcomes.items.map((o) => ({
          code: o.code,
          name: o.name,
          outcome_group: o.group,
          is_outcome: o.isOutcome,
          source: outcomes.source,
        })),
      )
      // The list's names and groups are the published ones, corrected here when they were wrong (outcome 17's group,
      // docs/sources.md section 16): a database loaded before takes the correction.
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          outcome_group: eb.ref('excluded.outcome_group'),
          source: eb.ref('excluded.source'),
        })),
      )
      .execute()
    await trx
      .insertInto('offence_codes')
      .values(
        offences.items.map((o) => ({
          code: o.code,
          name: o.name,
          category: o.category,
          adult_rape: o.adultRape,
          source: offences.source,
        })),
      )
      .onConflict((oc) => oc.column('code').doNothing())
      .execute()
  })
  await calendarRepository(db).ensureShipped()
  await ensureSystemUser(db)
}
