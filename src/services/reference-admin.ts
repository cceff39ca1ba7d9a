import { z } from 'zod'
import type { Repositories } from '../data'
import { fieldErrors, textSchema } from '../core/fields'
import type { AuditTrail } from './audit-trail'
import type { RequestContext } from './context'
import { AppError, invalid } from './errors'

export const organisationChangeSchema = z.strictObject({
  name: textSchema({ label: 'Name', name: 'the name' }, 200),
  urnCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([0-9A-Z]{2})?$/, { error: 'URN code must be two letters or digits' })
    .optional(),
  active: z.enum(['yes', 'no'], { error: 'Select whether the organisation is active' }),
})

/** Administrators keep the reference data current: organisations, force-to-area mapping, offence codes. */
export function referenceAdminService(repos: Repositories, audit: AuditTrail) {
  const ref = repos.reference
  return {
    organisations: () => ref.organisations(),
    organisation: (code: string) => ref.organisation(code),
    forceAreas: () => ref.forceAreas(),
    outcomeTypes: () => ref.outcomeTypes(),
    offenceCodes: () => ref.offenceCodes(),

    async updateOrganisation(ctx: RequestContext, code: string, input: unknown) {
      const org = await ref.organisation(code)
      if (!org) throw new AppError(404, 'not_found', 'Page not found')
      const parsed = organisationChangeSchema.safeParse(input)
      if (!parsed.success) throw invalid(fieldErrors(parsed.error))
      const urnCode = parsed.data.urnCode || null
      if (urnCode && org.kind !== 'police_force') throw invalid({ urnCode: 'Only a police force has a URN code' })
      if (urnCode && (await ref.organisations()).some((o) => o.urn_code === urnCode && o.code !== code)) {
        throw invalid({ urnCode: 'Another force already has this URN code' })
      }
      await ref.updateOrganisation(code, { name: parsed.data.name, urnCode, active: parsed.data.active === 'yes' })
      await audit.record(ctx, {
        operation: 'alteration',
        action: 'update_organisation',
        recordType: 'organisation',
        recordIds: [code],
      })
    },

    async addForceArea(ctx: RequestContext, forceCode: unknown, areaCode: unknown) {
      const force = typeof forceCode === 'string' ? await ref.organisation(forceCode) : undefined
      const area = typeof areaCode === 'string' ? await ref.organisation(areaCode) : undefined
      const fields: Record<string, string> = {}
      if (!force || force.kind !== 'police_force') fields.forceCode = 'Select a police force'
      if (!area || area.kind !== 'cps_area') fields.areaCode = 'Select a CPS area'
      if (Object.keys(fields).length) throw invalid(fields)
      await ref.addForceArea(force!.code, area!.code)
      await audit.record(ctx, {
        operation: 'alteration',
        action: 'add_force_area',
        recordType: 'organisation',
        recordIds: [force!.code, area!.code],
      })
    },

    async removeForceArea(ctx: RequestContext, forceCode: string, areaCode: string) {
      await ref.removeForceArea(forceCode, areaCode)
      await audit.record(ctx, {
        operation: 'alteration',
        action: 'remove_force_area',
        recordType: 'organisation',
        recordIds: [forceCode, areaCode],
      })
    },

    async setDefaultArea(ctx: RequestContext, forceCode: string, areaCode: string) {
      const mapped = (await ref.forceAreas()).some((m) => m.force_code === forceCode && m.area_code === areaCode)
      if (!mapped) throw invalid({ areaCode: 'Map the force to this area before making it the default' })
      await ref.setDefaultArea(forceCode, areaCode)
      await audit.record(ctx, {
        operation: 'alteration',
        action: 'set_default_area',
        recordType: 'organisation',
        recordIds: [forceCode, areaCode],
      })
    },
  }
}

export type ReferenceAdminService = ReturnType<typeof referenceAdminService>
