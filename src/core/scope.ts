import type { OrganisationKind, Role } from './roles'

/**
 * Which cases a user may see. Access is the intersection of role and organisation:
 * - investigator, police_supervisor, police_inspector: cases of their own force;
 * - prosecutor, cps_unit_head: cases of the forces mapped to their CPS area;
 * - witness_care: cases of the forces their unit covers;
 * - isva: only cases they are assigned to, and only the victim-support view;
 * - scrutiny_panel, analyst, admin: no case content (later modules give them pseudonymised data).
 * A restricted case is seen only by people on its named access list who also pass one of the rules above.
 * Everything else answers exactly as if the case did not exist.
 */
export type CaseAccessRule =
  | { via: 'own_force'; forceCode: string; view: 'full' }
  | { via: 'area_forces'; areaCode: string; view: 'full' }
  | { via: 'unit_forces'; unitCode: string; view: 'full' }
  | { via: 'assigned'; userId: string; view: 'victim_support' }

export type CaseView = 'full' | 'victim_support'

export interface ScopeSubject {
  id: string
  orgCode: string
  orgKind: OrganisationKind
  roles: readonly Role[]
}

export function caseAccessRules(user: ScopeSubject): CaseAccessRule[] {
  const rules: CaseAccessRule[] = []
  const has = (...roles: Role[]) => roles.some((role) => user.roles.includes(role))
  if (has('investigator', 'police_supervisor', 'police_inspector') && user.orgKind === 'police_force') {
    rules.push({ via: 'own_force', forceCode: user.orgCode, view: 'full' })
  }
  if (has('prosecutor', 'cps_unit_head') && user.orgKind === 'cps_area') {
    rules.push({ via: 'area_forces', areaCode: user.orgCode, view: 'full' })
  }
  if (has('witness_care') && user.orgKind === 'witness_care_unit') {
    rules.push({ via: 'unit_forces', unitCode: user.orgCode, view: 'full' })
  }
  if (has('isva')) {
    rules.push({ via: 'assigned', userId: user.id, view: 'victim_support' })
  }
  return rules
}

export function canSeeAnyCase(user: ScopeSubject): boolean {
  return caseAccessRules(user).length > 0
}
