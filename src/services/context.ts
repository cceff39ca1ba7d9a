import type { UserIdentity } from '../domain/roles'

export type AuthUser = UserIdentity

/** Who is acting, why (the purpose of the route, recorded as the audit justification) and the correlation id. */
export interface RequestContext {
  user: AuthUser
  purpose: string
  correlationId: string
}
