import type { UserIdentity } from '../core/roles'

export type AuthUser = UserIdentity

/** Who is acting, why (the purpose of the route, recorded as the audit justification) and the correlation id. */
export interface RequestContext {
  user: AuthUser
  purpose: string
  correlationId: string
}

/** A context for work done as a known user outside a request (synthetic data, tests): only the identity is kept. */
export function contextFor(user: AuthUser, purpose: string, correlationId: string): RequestContext {
  const { id, email, name, orgCode, orgName, orgKind, roles } = user
  return { user: { id, email, name, orgCode, orgName, orgKind, roles }, purpose, correlationId }
}
