/** The roles a user can hold. Access is always the intersection of role and organisation (see scope.ts). */
export const ROLES = [
  'investigator',
  'police_supervisor',
  'police_inspector',
  'prosecutor',
  'cps_unit_head',
  'witness_care',
  'isva',
  'scrutiny_panel',
  'analyst',
  'admin',
] as const
export type Role = (typeof ROLES)[number]

export const ORGANISATION_KINDS = ['police_force', 'cps_area', 'witness_care_unit', 'isva_service', 'service'] as const
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number]

export const ROLE_LABELS: Record<Role, string> = {
  investigator: 'Investigator (officer in the case)',
  police_supervisor: 'Police supervisor',
  police_inspector: 'Police inspector (or above)',
  prosecutor: 'RASSO prosecutor',
  cps_unit_head: 'CPS unit head',
  witness_care: 'Witness care officer',
  isva: 'Independent sexual violence adviser (ISVA)',
  scrutiny_panel: 'Scrutiny panel member',
  analyst: 'Analyst',
  admin: 'Administrator',
}

/** Each role as a short name after a person's name ("Sam Jones, CPS unit head"), with acronyms as people write them. */
export const ROLE_NAMES: Record<Role, string> = {
  investigator: 'Investigator',
  police_supervisor: 'Police supervisor',
  police_inspector: 'Police inspector',
  prosecutor: 'Prosecutor',
  cps_unit_head: 'CPS unit head',
  witness_care: 'Witness care officer',
  isva: 'ISVA',
  scrutiny_panel: 'Scrutiny panel member',
  analyst: 'Analyst',
  admin: 'Administrator',
}

/** Which kind of organisation each role belongs to; a user's roles must fit their organisation. */
export const ROLE_ORGANISATION_KINDS: Record<Role, readonly OrganisationKind[]> = {
  investigator: ['police_force'],
  police_supervisor: ['police_force'],
  police_inspector: ['police_force'],
  prosecutor: ['cps_area'],
  cps_unit_head: ['cps_area'],
  witness_care: ['witness_care_unit'],
  isva: ['isva_service'],
  scrutiny_panel: ['police_force', 'cps_area', 'service'],
  analyst: ['police_force', 'cps_area', 'service'],
  admin: ['service', 'police_force', 'cps_area'],
}

/** Roles that may read the access log of a case they can see. */
export const ACCESS_LOG_ROLES: readonly Role[] = ['police_supervisor', 'police_inspector', 'cps_unit_head']

/** Police roles: their tasks and notifications go to the case's force; every other case role's go to its CPS area. */
export const POLICE_ROLES: readonly Role[] = ['investigator', 'police_supervisor', 'police_inspector']

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export function roleFitsOrganisation(role: Role, kind: OrganisationKind): boolean {
  return ROLE_ORGANISATION_KINDS[role].includes(kind)
}

/** Who a signed-in person is: the facts every access decision needs. */
export interface UserIdentity {
  id: string
  email: string
  name: string
  orgCode: string
  orgName: string
  orgKind: OrganisationKind
  roles: Role[]
}
