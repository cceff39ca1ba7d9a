import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from './schema'

/** The row that counts an address's attempts across every account in the current minute. */
export const ANY_ACCOUNT = '*'

export interface BackOff {
  /** Attempts per address and account answered before the back-off starts. */
  freeAttempts: number
  /** The first delay; each further failure doubles it. */
  baseSeconds: number
  /** The longest delay. */
  capSeconds: number
}

/**
 * Sign-in attempts per client address and account identifier (decision 0031). Every count is one atomic statement,
 * so several server processes share it and parallel requests cannot slip past it. Times come from the caller.
 */
export function signInAttemptsRepository(db: Kysely<Database>) {
  return {
    /** Counts an attempt from the address in the minute from the row's window start; returns that minute's count. */
    async countAddressAttempt(addressKey: string, now: Date, windowMs: number) {
      const windowOver = new Date(now.getTime() - windowMs)
      const { rows } = await sql<{ attempts: number; window_started_at: Date }>`
        INSERT INTO sign_in_attempts AS t
          (address_key, account_key, attempts, window_started_at, blocked_until, last_attempt_at)
        VALUES (${addressKey}, ${ANY_ACCOUNT}, 1, ${now}, NULL, ${now})
        ON CONFLICT (address_key, account_key) DO UPDATE SET
          attempts = CASE WHEN t.window_started_at <= ${windowOver} THEN 1 ELSE t.attempts + 1 END,
          window_started_at = CASE WHEN t.window_started_at <= ${windowOver} THEN ${now} ELSE t.window_started_at END,
          last_attempt_at = ${now}
        RETURNING attempts, window_started_at`.execute(db)
      return rows[0]!
    },

    /**
     * Counts an attempt for the address and account before its password is checked, and sets the back-off it earns
     * should it fail, unless the pair is in a back-off already: then nothing changes and the end of the back-off is
     * returned. A count not added to for `forgetBefore` starts again.
     */
    async reserveAccountAttempt(
      addressKey: string,
      accountKey: string,
      now: Date,
      forgetBefore: Date,
      backOff: BackOff,
    ): Promise<{ admitted: true } | { admitted: false; blockedUntil: Date }> {
      const delayAfter = (count: RawBuilder<unknown>) => sql`CASE WHEN ${count} >= ${backOff.freeAttempts}::int
          THEN ${now}::timestamptz + make_interval(secs => least(${backOff.capSeconds}::float8,
            ${backOff.baseSeconds}::float8 * power(2, least(${count} - ${backOff.freeAttempts}::int, 30))))
          END`
      const counted = sql`CASE WHEN t.last_attempt_at < ${forgetBefore} THEN 1 ELSE t.attempts + 1 END`
      const { rows } = await sql<{ attempts: number }>`
        INSERT INTO sign_in_attempts AS t
          (address_key, account_key, attempts, window_started_at, blocked_until, last_attempt_at)
        VALUES (${addressKey}, ${accountKey}, 1, ${now}, ${delayAfter(sql`1`)}, ${now})
        ON CONFLICT (address_key, account_key) DO UPDATE SET
          attempts = ${counted},
          window_started_at = CASE WHEN t.last_attempt_at < ${forgetBefore} THEN ${now} ELSE t.window_started_at END,
          blocked_until = ${delayAfter(counted)},
          last_attempt_at = ${now}
        WHERE t.blocked_until IS NULL OR t.blocked_until <= ${now}
        RETURNING attempts`.execute(db)
      if (rows.length > 0) return { admitted: true }
      const row = await db
        .selectFrom('sign_in_attempts')
        .select('blocked_until')
        .where('address_key', '=', addressKey)
        .where('account_key', '=', accountKey)
        .executeTakeFirst()
      // The row went (pruned or cleared) between the two statements: refuse this once rather than count nothing.
      return { admitted: false, blockedUntil: row?.blocked_until ?? new Date(now.getTime() + 1000) }
    },

    /** A correct password: the pair's count goes, and the attempt no longer counts against the address. */
    async succeeded(addressKey: string, accountKey: string) {
      await db
        .deleteFrom('sign_in_attempts')
        .where('address_key', '=', addressKey)
        .where('account_key', '=', accountKey)
        .execute()
      await db
        .updateTable('sign_in_attempts')
        .set({ attempts: sql`greatest(attempts - 1, 0)` })
        .where('address_key', '=', addressKey)
        .where('account_key', '=', ANY_ACCOUNT)
        .execute()
    },

    /** How many addresses are in a back-off for the account, and until when the last of them is. */
    async heldBack(accountKey: string, now: Date) {
      const row = await db
        .selectFrom('sign_in_attempts')
        .select((eb) => [eb.fn.countAll<string>().as('addresses'), eb.fn.max('blocked_until').as('until')])
        .where('account_key', '=', accountKey)
        .where('blocked_until', '>', now)
        .executeTakeFirstOrThrow()
      return { addresses: Number(row.addresses), until: row.until as Date | null }
    },

    /** Forgets every count for the account (an administrator reset the password). */
    async clearAccount(accountKey: string) {
      await db.deleteFrom('sign_in_attempts').where('account_key', '=', accountKey).execute()
    },

    /** Deletes rows with no attempt since `before` and no back-off still running. */
    async prune(before: Date, now: Date) {
      await db
        .deleteFrom('sign_in_attempts')
        .where('last_attempt_at', '<', before)
        .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now)]))
        .execute()
    },
  }
}

export type SignInAttemptsRepository = ReturnType<typeof signInAttemptsRepository>
