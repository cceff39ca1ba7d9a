import type { Kysely } from 'kysely'
import type { AuditKeyring } from '../domain/audit'
import { auditRepository } from './audit-repository'
import { calendarRepository } from './calendar-repository'
import { casesRepository } from './cases-repository'
import { referenceRepository } from './reference-repository'
import type { Database } from './schema'
import { signInAttemptsRepository } from './sign-in-attempts-repository'
import { usersRepository } from './users-repository'

/** Builds every repository over one database handle: the data half of the composition root. */
export function createRepositories(db: Kysely<Database>, auditKeys: AuditKeyring) {
  return {
    db,
    audit: auditRepository(db, auditKeys),
    cases: casesRepository(db),
    users: usersRepository(db),
    signInAttempts: signInAttemptsRepository(db),
    reference: referenceRepository(db),
    calendar: calendarRepository(db),
  }
}

export type Repositories = ReturnType<typeof createRepositories>
