import type { OrganisationKind, Role } from '../domain/roles'

export interface AuthUser {
  id: string
  email: string
  name: string
  orgCode: string
  orgName: string
  orgKind: OrganisationKind
  roles: Role[]
}

/** Who is acting, why (the purpose of the route, recorded as the audit justification) and the correlation id. */
export interface RequestContext {
  user: AuthUser
  purpose: string
  correlationId: string
}
