import { createHash, randomBytes, randomUUID } from 'node:crypto'
import argon2 from 'argon2'
import { z } from 'zod'
import type { Config } from '../config'
import type { Repositories } from '../data'
import type { UserRecord } from '../data/users-repository'
import { fieldErrors, textSchema } from '../core/fields'
import { isRole, ROLE_LABELS, ROLES, roleFitsOrganisation, type Role } from '../core/roles'
import type { AuditTrail } from './audit-trail'
import type { AuthUser, RequestContext } from './context'
import { AppError, invalid } from './errors'
import { signInThrottle } from './sign-in-throttle'

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

const toAuthUser = (u: UserRecord): AuthUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  orgCode: u.orgCode,
  orgName: u.orgName,
  orgKind: u.orgKind,
  roles: u.roles,
})

export const PASSWORD_MIN = 12
export const PASSWORD_MAX = 200

export const newUserSchema = z.strictObject({
  email: z
    .email({ error: 'Enter an email address in the correct format, like name@example.gov.uk' })
    .max(254, { error: 'Email address must be 254 characters or fewer' }),
  name: textSchema({ label: 'Full name', name: 'the full name' }, 200),
  orgCode: z
    .string({ error: 'Select an organisation' })
    .min(1, { error: 'Select an organisation' })
    .max(100)
    .regex(/^[a-z0-9-]+$/, { error: 'Select an organisation from the list' }),
  roles: z
    .array(z.enum(ROLES, { error: 'Select a role from the list' }), { error: 'Select at least one role' })
    .min(1, { error: 'Select at least one role' }),
  password: z
    .string({ error: 'Enter a password' })
    .min(PASSWORD_MIN, { error: `Password must be ${PASSWORD_MIN} characters or more` })
    .max(PASSWORD_MAX, { error: `Password must be ${PASSWORD_MAX} characters or fewer` }),
})
export type NewUser = z.infer<typeof newUserSchema>

/** A hash to compare against when the email is unknown, so a wrong email takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined
const hashForUnknownEmails = () => (dummyHash ??= argon2.hash(randomBytes(16).toString('hex')))

export function accountsService(repos: Repositories, audit: AuditTrail, config: Config) {
  const users = repos.users
  const throttle = signInThrottle(repos, config)
  // Made before the first sign-in, so the first unknown email does not take longer than a known one.
  void hashForUnknownEmails()

  async function checkRolesFitOrganisation(orgCode: string, roles: readonly Role[]): Promise<Record<string, string>> {
    const org = await repos.reference.organisation(orgCode)
    if (!org || !org.active) return { orgCode: 'Select an organisation from the list' }
    const misfit = roles.find((role) => !roleFitsOrganisation(role, org.kind))
    return misfit ? { roles: `${ROLE_LABELS[misfit]} is not a role in ${org.name}` } : {}
  }

  return {
    /**
     * Signs in from a client address. An unknown email, a wrong password and a deactivated account get the same
     * answer after the same work (a password check against a dummy hash when there is no account); throttling
     * (decision 0031) counts the attempt before the check, per address and per address and email as typed, so it
     * answers the same for every email too, and refuses a correct password while it holds.
     */
    async signIn(emailInput: unknown, passwordInput: unknown, clientAddress: string): Promise<AuthUser> {
      const fields: Record<string, string> = {}
      const email = typeof emailInput === 'string' ? emailInput.trim().toLowerCase() : ''
      const password = typeof passwordInput === 'string' ? passwordInput : ''
      if (!email) fields.email = 'Enter your email address'
      else if (email.length > 254) fields.email = 'Email address must be 254 characters or fewer'
      if (!password) fields.password = 'Enter your password'
      else if (password.length > PASSWORD_MAX) fields.password = `Password must be ${PASSWORD_MAX} characters or fewer`
      if (Object.keys(fields).length) throw invalid(fields)

      const keys = await throttle.admit(clientAddress, email)
      // No account's address holds a NUL (and PostgreSQL cannot compare one): answered as an unknown account.
      const user = email.includes('\u0000') ? undefined : await users.byEmail(email)
      const ok = await argon2.verify(user?.passwordHash ?? (await hashForUnknownEmails()), password).catch(() => false)
      if (!user || !ok || !user.active) {
        throw new AppError(401, 'sign_in_failed', 'Enter a correct email address and password', {
          email: 'Enter a correct email address and password',
        })
      }
      await throttle.succeeded(keys)
      await users.recordSuccessfulSignIn(user.id)
      return toAuthUser(user)
    },

    async startSession(userId: string): Promise<{ sessionId: string; csrfToken: string }> {
      const sessionId = randomBytes(32).toString('base64url')
      const csrfToken = randomBytes(32).toString('base64url')
      await users.createSession({ idHash: sha256(sessionId), userId, csrfToken })
      return { sessionId, csrfToken }
    },

    /** The signed-in user of a session, or null when it is unknown, idle too long or the user is deactivated. */
    async resumeSession(sessionId: string) {
      const idHash = sha256(sessionId)
      const found = await users.sessionWithUser(idHash)
      if (!found) return null
      const { session, user } = found
      const idleLimit = Date.now() - config.sessionIdleMinutes * 60_000
      if (session.last_seen_at.getTime() < idleLimit) {
        await users.deleteSession(idHash)
        return null
      }
      if (!user.active) {
        await users.deleteSession(idHash)
        return null
      }
      // Touch at most once a minute: an idle timeout does not need a write on every request.
      if (Date.now() - session.last_seen_at.getTime() > 60_000) await users.touchSession(idHash)
      return { user: toAuthUser(user), idHash, csrfToken: session.csrf_token, data: session.data }
    },

    async saveSessionData(idHash: string, data: Record<string, unknown>) {
      await users.saveSessionData(idHash, data)
    },

    async endSession(sessionId: string) {
      await users.deleteSession(sha256(sessionId))
    },

    async authenticateToken(token: string): Promise<AuthUser | null> {
      if (token.length < 20 || token.length > 200) return null
      const row = await users.findActiveToken(sha256(token))
      if (!row) return null
      const user = await users.byId(row.user_id)
      if (!user || !user.active) return null
      await users.touchToken(row.id)
      return toAuthUser(user)
    },

    async createToken(email: string, label: string): Promise<{ id: string; token: string }> {
      const user = await users.byEmail(email)
      if (!user) throw new AppError(404, 'user_not_found', 'No user has that email address')
      const token = `cb_${randomBytes(32).toString('base64url')}`
      const id = randomUUID()
      await users.insertToken({ id, userId: user.id, tokenHash: sha256(token), label })
      return { id, token }
    },

    async revokeToken(id: string): Promise<boolean> {
      if (!z.uuid().safeParse(id).success) return false
      return users.revokeToken(id)
    },

    async addUser(ctx: RequestContext | null, input: unknown): Promise<AuthUser> {
      const parsed = newUserSchema.safeParse(input)
      if (!parsed.success) throw invalid(fieldErrors(parsed.error))
      const value = parsed.data
      const email = value.email.toLowerCase()
      const misfit = await checkRolesFitOrganisation(value.orgCode, value.roles)
      if (Object.keys(misfit).length) throw invalid(misfit)
      if (await users.byEmail(email)) throw invalid({ email: 'A user with this email address already exists' })
      const id = randomUUID()
      await users.insert({
        id,
        email,
        name: value.name,
        orgCode: value.orgCode,
        passwordHash: await argon2.hash(value.password),
        roles: [...new Set(value.roles)],
      })
      if (ctx)
        await audit.record(ctx, { operation: 'collection', action: 'add_user', recordType: 'user', recordIds: [id] })
      return toAuthUser((await users.byId(id))!)
    },

    async changeRoles(ctx: RequestContext, userId: string, rolesInput: unknown) {
      const user = z.uuid().safeParse(userId).success ? await users.byId(userId) : undefined
      if (!user) throw new AppError(404, 'not_found', 'Page not found')
      const list = (Array.isArray(rolesInput) ? rolesInput : rolesInput === undefined ? [] : [rolesInput]).filter(
        isRole,
      )
      if (list.length === 0) throw invalid({ roles: 'Select at least one role' })
      const misfit = await checkRolesFitOrganisation(user.orgCode, list)
      if (Object.keys(misfit).length) throw invalid(misfit)
      if (user.id === ctx.user.id && !list.includes('admin'))
        throw invalid({ roles: 'You cannot remove your own administrator role' })
      await users.setRoles(user.id, [...new Set(list)])
      await audit.record(ctx, {
        operation: 'alteration',
        action: 'change_roles',
        recordType: 'user',
        recordIds: [user.id],
      })
    },

    async setActive(ctx: RequestContext, userId: string, active: boolean) {
      const user = z.uuid().safeParse(userId).success ? await users.byId(userId) : undefined
      if (!user) throw new AppError(404, 'not_found', 'Page not found')
      if (user.id === ctx.user.id && !active)
        throw new AppError(422, 'cannot_deactivate_self', 'You cannot deactivate your own account')
      await users.setActive(user.id, active)
      await audit.record(ctx, {
        operation: 'alteration',
        action: active ? 'reactivate_user' : 'deactivate_user',
        recordType: 'user',
        recordIds: [user.id],
      })
    },

    async resetPassword(ctx: RequestContext | null, userId: string, password: unknown) {
      const user = z.uuid().safeParse(userId).success ? await users.byId(userId) : undefined
      if (!user) throw new AppError(404, 'not_found', 'Page not found')
      const parsed = newUserSchema.shape.password.safeParse(password)
      if (!parsed.success) throw invalid({ password: parsed.error.issues[0]!.message })
      await users.setPassword(user.id, await argon2.hash(parsed.data))
      // A reset is how an administrator lets someone back in: the back-off at every address ends with it.
      await throttle.clear(user.email)
      if (ctx)
        await audit.record(ctx, {
          operation: 'alteration',
          action: 'reset_password',
          recordType: 'user',
          recordIds: [user.id],
        })
    },

    async user(userId: string) {
      return z.uuid().safeParse(userId).success ? users.byId(userId) : undefined
    },
    /** How many addresses are held back from signing in to the account, and until when. */
    signInHeldBack: (user: UserRecord) => throttle.heldBack(user.email),
    list: () => users.list(),
    tokensOf: (userId: string) => users.tokensOf(userId),
    byEmail: (email: string) => users.byEmail(email),
  }
}

export type AccountsService = ReturnType<typeof accountsService>
