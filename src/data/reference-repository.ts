import type { Kysely } from 'kysely'
import type { OrganisationKind } from '../core/roles'
import type { Database } from './schema'

/**
 * How long a process keeps the organisations, outcome types and offence codes before reading them again. Pages read
 * them on nearly every request; an edit in this process forgets them at once, one made elsewhere (another instance's
 * administrator pages, or the reference data loaded when another process starts) shows within this time.
 */
const CACHE_MS = 60_000

export function referenceRepository(db: Kysely<Database>) {
  const cache = new Map<string, { at: number; rows: Promise<readonly unknown[]> }>()
  const kept = <T>(key: string, read: () => Promise<T[]>): Promise<readonly T[]> => {
    const hit = cache.get(key)
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.rows as Promise<readonly T[]>
    const rows = read()
    cache.set(key, { at: Date.now(), rows })
    rows.catch(() => cache.delete(key))
    return rows
  }
  const forget = () => cache.clear()
  const allOrganisations = () =>
    kept('organisations', () => db.selectFrom('organisations').selectAll().orderBy('kind').orderBy('name').execute())

  return {
    /** Forget the kept reference lists (after writing them other than through this repository). */
    forget,
    async organisations(kind?: OrganisationKind) {
      const all = await allOrganisations()
      return kind ? all.filter((o) => o.kind === kind) : [...all]
    },
    async organisation(code: string) {
      return db.selectFrom('organisations').selectAll().where('code', '=', code).executeTakeFirst()
    },
    async insertOrganisation(org: {
      code: string
      name: string
      kind: OrganisationKind
      urnCode: string | null
      source: string
    }) {
      await db
        .insertInto('organisations')
        .values({ code: org.code, name: org.name, kind: org.kind, urn_code: org.urnCode, source: org.source })
        .execute()
      forget()
    },
    async updateOrganisation(code: string, change: { name: string; urnCode: string | null; active: boolean }) {
      await db
        .updateTable('organisations')
        .set({ name: change.name, urn_code: change.urnCode, active: change.active })
        .where('code', '=', code)
        .execute()
      forget()
    },
    async forceAreas() {
      return db
        .selectFrom('force_areas as fa')
        .innerJoin('organisations as f', 'f.code', 'fa.force_code')
        .innerJoin('organisations as a', 'a.code', 'fa.area_code')
        .select(['fa.force_code', 'f.name as force_name', 'fa.area_code', 'a.name as area_name', 'fa.is_default'])
        .orderBy('f.name')
        .orderBy('a.name')
        .execute()
    },
    /** Which CPS areas each force's cases go to (kept like the organisations). */
    async forceAreaLinks() {
      return [
        ...(await kept('force_areas', () =>
          db.selectFrom('force_areas').select(['force_code', 'area_code', 'is_default']).execute(),
        )),
      ]
    },
    async addForceArea(forceCode: string, areaCode: string) {
      await db
        .insertInto('force_areas')
        .values({ force_code: forceCode, area_code: areaCode, is_default: false })
        .onConflict((oc) => oc.doNothing())
        .execute()
      forget()
    },
    async removeForceArea(forceCode: string, areaCode: string) {
      await db
        .deleteFrom('force_areas')
        .where('force_code', '=', forceCode)
        .where('area_code', '=', areaCode)
        .where('is_default', '=', false)
        .execute()
      forget()
    },
    async setDefaultArea(forceCode: string, areaCode: string) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('force_areas').set({ is_default: false }).where('force_code', '=', forceCode).execute()
        await trx
          .updateTable('force_areas')
          .set({ is_default: true })
          .where('force_code', '=', forceCode)
          .where('area_code', '=', areaCode)
          .execute()
      })
      forget()
    },
    async addCoverage(unitCode: string, forceCode: string) {
      await db
        .insertInto('unit_coverage')
        .values({ unit_code: unitCode, force_code: forceCode })
        .onConflict((oc) => oc.doNothing())
        .execute()
    },
    async outcomeTypes() {
      return [
        ...(await kept('outcome_types', () => db.selectFrom('outcome_types').selectAll().orderBy('code').execute())),
      ]
    },
    async offenceCodes() {
      return [
        ...(await kept('offence_codes', () => db.selectFrom('offence_codes').selectAll().orderBy('code').execute())),
      ]
    },
    async updateOffenceCode(code: string, change: { name: string; active: boolean }) {
      await db.updateTable('offence_codes').set(change).where('code', '=', code).execute()
      forget()
    },
  }
}

export type ReferenceRepository = ReturnType<typeof referenceRepository>
