import { describe, expect, it } from 'vitest'
import { ROLES, roleFitsOrganisation, type OrganisationKind, type Role } from '../../src/core/roles'
import { canSeeAnyCase, caseAccessRules } from '../../src/core/scope'

const user = (roles: Role[], orgKind: OrganisationKind, orgCode = 'avon-and-somerset') => ({
  id: 'u1',
  orgCode,
  orgKind,
  roles,
})

describe('case access rules', () => {
  it('police roles see their own force', () => {
    for (const role of ['investigator', 'police_supervisor', 'police_inspector'] as Role[]) {
      expect(caseAccessRules(user([role], 'police_force'))).toEqual([
        { via: 'own_force', forceCode: 'avon-and-somerset', view: 'full' },
      ])
    }
  })
  it('CPS roles see the forces mapped to their area', () => {
    for (const role of ['prosecutor', 'cps_unit_head'] as Role[]) {
      expect(caseAccessRules(user([role], 'cps_area', 'cps-south-west'))).toEqual([
        { via: 'area_forces', areaCode: 'cps-south-west', view: 'full' },
      ])
    }
  })
  it('witness care sees the forces its unit covers', () => {
    expect(caseAccessRules(user(['witness_care'], 'witness_care_unit', 'wcu-x'))).toEqual([
      { via: 'unit_forces', unitCode: 'wcu-x', view: 'full' },
    ])
  })
  it('an ISVA sees only assigned cases, and only the victim-support view', () => {
    expect(caseAccessRules(user(['isva'], 'isva_service', 'isva-x'))).toEqual([
      { via: 'assigned', userId: 'u1', view: 'victim_support' },
    ])
  })
  it('analysts, scrutiny panel members and administrators see no case content', () => {
    for (const role of ['analyst', 'scrutiny_panel', 'admin'] as Role[]) {
      for (const kind of ['police_force', 'cps_area', 'service'] as OrganisationKind[]) {
        expect(caseAccessRules(user([role], kind))).toEqual([])
        expect(canSeeAnyCase(user([role], kind))).toBe(false)
      }
    }
  })
  it('a role in the wrong kind of organisation gives nothing (intersection of role and organisation)', () => {
    expect(caseAccessRules(user(['investigator'], 'cps_area'))).toEqual([])
    expect(caseAccessRules(user(['police_inspector'], 'cps_area'))).toEqual([])
    expect(caseAccessRules(user(['police_inspector'], 'witness_care_unit'))).toEqual([])
    expect(caseAccessRules(user(['prosecutor'], 'police_force'))).toEqual([])
    expect(caseAccessRules(user(['witness_care'], 'police_force'))).toEqual([])
  })
  it('every role fits at least one kind of organisation', () => {
    for (const role of ROLES)
      expect(
        (['police_force', 'cps_area', 'witness_care_unit', 'isva_service', 'service'] as const).some((k) =>
          roleFitsOrganisation(role, k),
        ),
      ).toBe(true)
  })
})
