import { createHmac } from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'
import type { Config } from '../config'
import type { Repositories } from '../data'
import { AppError } from './errors'

/** The first back-off after the free attempts; each further failure doubles it, up to SIGNIN_LOCKOUT_MINUTES. */
export const BACK_OFF_BASE_SECONDS = 30
/** A count with no attempt for this long starts again, and its row is pruned. */
export const FORGET_AFTER_MS = 24 * 60 * 60_000
const ADDRESS_WINDOW_MS = 60_000
const PRUNE_EVERY_MS = 10 * 60_000

/**
 * The network an address stands for: an IPv4 address itself, an IPv6 address its /64 (one household or server is
 * given a whole /64, so counting single IPv6 addresses would count nothing).
 */
export function clientNetwork(address: string): string {
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
  if (isIPv4(plain)) return plain
  const bare = plain.split('%')[0]!
  if (!isIPv6(bare)) return plain
  const [head = '', tail] = bare.split('::')
  const headGroups = head ? head.split(':') : []
  const tailGroups = tail ? tail.split(':') : []
  const groups =
    tail === undefined
      ? headGroups
      : [
          ...headGroups,
          ...Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'),
          ...tailGroups,
        ]
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`
}

const waitWords = (seconds: number) => {
  const minutes = Math.ceil(seconds / 60)
  return minutes <= 1 ? '1 minute' : `${minutes} minutes`
}

export function throttled(retryAfterSeconds: number): AppError {
  const message = `Too many attempts to sign in. Wait ${waitWords(retryAfterSeconds)} and try again, or ask an administrator to reset your password`
  return new AppError(429, 'sign_in_throttled', message, { email: message }, { retryAfterSeconds })
}

/**
 * Sign-in throttling (decision 0031): per client address across every account (SIGNIN_RATE_LIMIT_PER_MINUTE, the
 * page and the API together), and per address and account identifier as typed, with a back-off that doubles after
 * SIGNIN_MAX_ATTEMPTS failures. Nothing here knows whether the account exists: the same input gives the same answer.
 */
export function signInThrottle(repos: Repositories, config: Config) {
  const attempts = repos.signInAttempts
  // Keyed hashes: the table holds no email or IP address, and its keys cannot be checked against a list of emails.
  const keyOf = (kind: string, value: string) =>
    createHmac('sha256', config.sessionSecret).update(`${kind}\0${value}`).digest('base64url')
  const accountKey = (normalisedEmail: string) => keyOf('account', normalisedEmail)
  const backOff = {
    freeAttempts: config.signInMaxAttempts,
    baseSeconds: BACK_OFF_BASE_SECONDS,
    capSeconds: config.signInLockoutMinutes * 60,
  }
  let prunedAt = 0

  return {
    /**
     * Counts an attempt before its password is checked and throws 429 when the address or the pair is over its
     * limit. Returns the keys to report a success with.
     */
    async admit(clientAddress: string, normalisedEmail: string) {
      const now = new Date()
      if (now.getTime() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now.getTime()
        await attempts.prune(new Date(now.getTime() - FORGET_AFTER_MS), now)
      }
      const keys = { address: keyOf('address', clientNetwork(clientAddress)), account: accountKey(normalisedEmail) }
      const fromAddress = await attempts.countAddressAttempt(keys.address, now, ADDRESS_WINDOW_MS)
      if (fromAddress.attempts > config.signInRateLimitPerMinute) {
        const windowEnds = fromAddress.window_started_at.getTime() + ADDRESS_WINDOW_MS
        throw throttled(Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)))
      }
      const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS)
      const pair = await attempts.reserveAccountAttempt(keys.address, keys.account, now, forgetBefore, backOff)
      if (!pair.admitted) throw throttled(Math.max(1, Math.ceil((pair.blockedUntil.getTime() - now.getTime()) / 1000)))
      return keys
    },

    succeeded: (keys: { address: string; account: string }) => attempts.succeeded(keys.address, keys.account),

    /** For administrators: how many addresses are in a back-off for this account's email, and until when. */
    heldBack: (email: string) => attempts.heldBack(accountKey(email), new Date()),

    /** Forgets the account's counts at every address. */
    clear: (email: string) => attempts.clearAccount(accountKey(email)),
  }
}

export type SignInThrottle = ReturnType<typeof signInThrottle>
