import type { Kysely } from 'kysely'
import type { Role, UserIdentity } from '../core/roles'
import { SYSTEM_USER_ID } from './reference'
import type { Database } from './schema'
import { statementCache } from './statement-cache'

export interface UserRecord extends UserIdentity {
  active: boolean
  passwordHash: string
}

export function usersRepository(db: Kysely<Database>) {
  const statements = statementCache()
  const base = () =>
    db
      .selectFrom('users as u')
      .innerJoin('organisations as o', 'o.code', 'u.org_code')
      .select((eb) => [
        'u.id',
        'u.email',
        'u.name',
        'u.org_code',
        'o.name as org_name',
        'o.kind as org_kind',
        'u.active',
        'u.password_hash',
        eb
          .fn<string[]>('array', [
            eb.selectFrom('user_roles as r').select('r.role').whereRef('r.user_id', '=', 'u.id').orderBy('r.role'),
          ])
          .as('roles'),
      ])
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>
  const toRecord = (row: Row): UserRecord => ({
    id: row.id,
    email: row.email,
    name: row.name,
    orgCode: row.org_code,
    orgName: row.org_name,
    orgKind: row.org_kind,
    roles: row.roles as Role[],
    active: row.active,
    passwordHash: row.password_hash,
  })

  return {
    async byEmail(email: string): Promise<UserRecord | undefined> {
      const row = await base().where('u.email', '=', email.trim().toLowerCase()).executeTakeFirst()
      return row && toRecord(row)
    },
    async byId(id: string): Promise<UserRecord | undefined> {
      const row = await base().where('u.id', '=', id).executeTakeFirst()
      return row && toRecord(row)
    },
    /** People's accounts (not the service's own scheduler account). */
    async list(): Promise<UserRecord[]> {
      return (await base().where('u.id', '!=', SYSTEM_USER_ID).orderBy('u.org_code').orderBy('u.email').execute()).map(
        toRecord,
      )
    },
    async insert(user: {
      id: string
      email: string
      name: string
      orgCode: string
      passwordHash: string
      roles: readonly Role[]
    }) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('users')
          .values({
            id: user.id,
            email: user.email,
            name: user.name,
            org_code: user.orgCode,
            password_hash: user.passwordHash,
            locked_until: null,
          })
          .execute()
        await trx
          .insertInto('user_roles')
          .values(user.roles.map((role) => ({ user_id: user.id, role })))
          .execute()
      })
    },
    async setRoles(userId: string, roles: readonly Role[]) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute()
        await trx
          .insertInto('user_roles')
          .values(roles.map((role) => ({ user_id: userId, role })))
          .execute()
        await trx.updateTable('users').set({ updated_at: new Date() }).where('id', '=', userId).execute()
      })
    },
    async setActive(userId: string, active: boolean) {
      await db.updateTable('users').set({ active, updated_at: new Date() }).where('id', '=', userId).execute()
      if (!active) await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
    },
    async setPassword(userId: string, passwordHash: string) {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, failed_sign_ins: 0, locked_until: null, updated_at: new Date() })
        .where('id', '=', userId)
        .execute()
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
    },
    /** Keeps the columns of the lockout before decision 0031 clear, for a process still running that release. */
    async recordSuccessfulSignIn(userId: string) {
      await db.updateTable('users').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', userId).execute()
    },

    // Sessions: only a hash of the cookie's id is stored.
    async createSession(session: { idHash: string; userId: string; csrfToken: string }) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: session.idHash,
          user_id: session.userId,
          csrf_token: session.csrfToken,
          last_seen_at: new Date(),
        })
        .execute()
    },
    /** A session with its user, in one round trip (every signed-in request reads this). */
    async sessionWithUser(idHash: string) {
      // Every request asks it: built once (statement-cache.ts).
      const statement = statements(
        'session',
        (hash: string) =>
          base()
            .innerJoin('sessions as s', 's.user_id', 'u.id')
            .select(['s.id_hash', 's.csrf_token', 's.data', 's.last_seen_at'])
            .where('s.id_hash', '=', hash),
        idHash,
      )
      const [row] = (await db.executeQuery(statement)).rows
      if (!row) return undefined
      const { id_hash, csrf_token, data, last_seen_at, ...user } = row
      return { session: { id_hash, csrf_token, data, last_seen_at }, user: toRecord(user) }
    },
    async touchSession(idHash: string) {
      await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id_hash', '=', idHash).execute()
    },
    async saveSessionData(idHash: string, data: Record<string, unknown>) {
      await db
        .updateTable('sessions')
        .set({ data: JSON.stringify(data) })
        .where('id_hash', '=', idHash)
        .execute()
    },
    async deleteSession(idHash: string) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
    },
    async deleteIdleSessions(idleBefore: Date) {
      await db.deleteFrom('sessions').where('last_seen_at', '<', idleBefore).execute()
    },

    // API tokens
    async insertToken(token: { id: string; userId: string; tokenHash: string; label: string }) {
      await db
        .insertInto('api_tokens')
        .values({
          id: token.id,
          user_id: token.userId,
          token_hash: token.tokenHash,
          label: token.label,
          last_used_at: null,
          revoked_at: null,
        })
        .execute()
    },
    async findActiveToken(tokenHash: string) {
      return db
        .selectFrom('api_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
    },
    async touchToken(id: string) {
      await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', id).execute()
    },
    async tokensOf(userId: string) {
      return db
        .selectFrom('api_tokens')
        .select(['id', 'label', 'created_at', 'last_used_at', 'revoked_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute()
    },
    async revokeToken(id: string): Promise<boolean> {
      const result = await db
        .updateTable('api_tokens')
        .set({ revoked_at: new Date() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },
  }
}

export type UsersRepository = ReturnType<typeof usersRepository>
