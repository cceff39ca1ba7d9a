import { randomBytes } from 'node:crypto'
import path from 'node:path'
import packageJson from '../package.json' with { type: 'json' }
import { DEFAULT_ADMIN_FINALISATION_MONTHS } from './core/calendar'

/**
 * The Node.js flags the server runs with: `npm start` (package.json) and the benchmark's server. A bounded heap, so
 * the collector works before the process grows past the 300 MB target (docs/sources.md, "What good looks like") (decision 0028).
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=256'] as const

/**
 * The only module that reads the environment. Every other module receives a Config.
 * Development gets a working default for each value; production refuses to start without the secrets.
 */
export interface Config {
  env: 'production' | 'development' | 'test'
  port: number
  host: string
  /**
   * Whether the server stops once the process that started it has gone: set when npm runs it (`npm start`), so that
   * npm killed outright does not leave the server running with the embedded database locked (decision 0030).
   */
  stopWithParent: boolean
  /**
   * The reverse proxies whose X-Forwarded-For is believed, by address or range; false (the default) believes none,
   * and the client's address is the connection's.
   */
  trustProxy: false | string[]
  databaseUrl: string | undefined
  dataDir: string
  sessionSecret: string
  sessionIdleMinutes: number
  /** Failed sign-ins from one address for one email before its back-off starts (decision 0031). */
  signInMaxAttempts: number
  /** The longest back-off for an address and email: 30 seconds, doubled at each further failure, up to this. */
  signInLockoutMinutes: number
  /** Failed sign-ins a minute from one address across every email, the page and the API together. */
  signInRateLimitPerMinute: number
  cookieSecure: boolean
  demoPassword: string | undefined
  /** Months after an action plan is set before a case may be administratively finalised (with the ladder run out). */
  adminFinalisationMonths: number
  /** The lowest reading ease (Flesch, 0-100) a letter to a complainant may have. */
  letterMinReadingEase: number
  /** Days ahead that an advocate's RASSO accreditation or required training expiring is warned of when instructing. */
  advocateWarningDays: number
  /**
   * The age from which a person agrees to a request for their device or records alone; below it a parent or guardian
   * answers, with the child's views recorded (PCSC Act 2022 s.38 as recalled: UNVERIFIED, so configurable).
   */
  materialAgreementAge: number
  /** Statistical disclosure control of released figures (docs/sources.md section 10). */
  disclosureControl: { threshold: number; base: number }
  /** Whether the scheduled job administratively finalises a case once the ladder has run out and the period passed. */
  scheduledFinalisation: boolean
  /** GOV.UK Notify: the API key, the email template (with ((subject)) and ((body))) and the API address. */
  notify: { apiKey: string; templateId: string; baseUrl: string } | null
  /** The address people use to reach the service, for links in emails. */
  publicUrl: string
  /** The unit part of new joint URNs (two letters or digits). */
  urnUnit: string
  logLevel: string
  version: string
  /**
   * The audit chain's key (decision 0029): `key` signs new rows and checkpoints, `previousKeys` only verify what
   * they signed before a rotation; `checkpointFile`, when set, gets each checkpoint as a JSON line.
   */
  audit: { key: string; previousKeys: string[]; checkpointFile: string | undefined }
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}`)
  }
  return value
}

function trustProxy(raw: string | undefined): Config['trustProxy'] {
  if (raw === undefined || raw === '' || raw === 'false') return false
  const list = raw.split(',').map((a) => a.trim())
  // Trusting every sender would let anyone choose the address they are counted under.
  const tooWide = (a: string) => {
    const prefix = a.includes('/') ? Number(a.split('/')[1]) : null
    return prefix !== null && prefix < (a.includes(':') ? 32 : 8)
  }
  if (list.some((a) => !/^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(a) || tooWide(a)))
    throw new ConfigError('TRUST_PROXY must be the addresses or ranges of the proxies, separated by commas')
  return list
}

function urnUnit(raw: string | undefined): string {
  const value = (raw || 'RS').toUpperCase()
  if (!/^[0-9A-Z]{2}$/.test(value)) throw new ConfigError('URN_UNIT must be two letters or digits')
  return value
}

/** A GOV.UK Notify API key ends with the service id and the secret, each a UUID: name-serviceId-secret. */
export const NOTIFY_KEY_PATTERN =
  /^[A-Za-z0-9_-]+-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/

function notify(env: Env): Config['notify'] {
  const apiKey = env.NOTIFY_API_KEY
  if (!apiKey) return null
  if (!NOTIFY_KEY_PATTERN.test(apiKey)) throw new ConfigError('NOTIFY_API_KEY is not a GOV.UK Notify API key')
  const templateId = env.NOTIFY_EMAIL_TEMPLATE_ID ?? ''
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(templateId))
    throw new ConfigError(
      'NOTIFY_EMAIL_TEMPLATE_ID must be the id of a Notify email template when NOTIFY_API_KEY is set',
    )
  const baseUrl = env.NOTIFY_BASE_URL || 'https://api.notifications.service.gov.uk'
  if (!/^https?:\/\/[^\s]+$/.test(baseUrl)) throw new ConfigError('NOTIFY_BASE_URL must be an http(s) address')
  return { apiKey, templateId, baseUrl: baseUrl.replace(/\/$/, '') }
}

/**
 * The audit key outside production: fixed and public, not random per process like the session secret, because the
 * chain must still verify after a restart and from the CLI, which a random key would break. It keys demonstration
 * data only; production refuses to start with it or without AUDIT_KEY.
 */
export const DEVELOPMENT_AUDIT_KEY = 'casebridge-development-audit-key-not-a-secret'

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development'
  if (nodeEnv === 'production') {
    const missing = ['SESSION_SECRET', 'DATABASE_URL'].filter((name) => !env[name])
    if (missing.length > 0) {
      throw new ConfigError(`Refusing to start in production without ${missing.join(' and ')}`)
    }
    if ((env.SESSION_SECRET ?? '').length < 32) {
      throw new ConfigError('SESSION_SECRET must be at least 32 characters in production')
    }
    if (!env.AUDIT_KEY) throw new ConfigError('Refusing to start in production without AUDIT_KEY')
    if (env.AUDIT_KEY.length < 32 || env.AUDIT_KEY === DEVELOPMENT_AUDIT_KEY) {
      throw new ConfigError('AUDIT_KEY must be at least 32 characters in production, and not the development key')
    }
    // Letters link to the service (the walkthrough): in production they must link where people reach it.
    if (!env.PUBLIC_URL)
      throw new ConfigError(
        'Refusing to start in production without PUBLIC_URL (the address people reach Casebridge at)',
      )
    if (!/^https:\/\/[^\s/]+/.test(env.PUBLIC_URL))
      throw new ConfigError(
        'PUBLIC_URL must be the https address people reach Casebridge at, such as https://casebridge.example',
      )
  }
  const port = integer(env, 'PORT', 3000, 0, 65535)
  return {
    env: nodeEnv,
    port,
    host: env.HOST || '127.0.0.1',
    stopWithParent: Boolean(env.npm_lifecycle_event),
    trustProxy: trustProxy(env.TRUST_PROXY),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.CASEBRIDGE_DATA_DIR || './.casebridge'),
    // Outside production a random secret per process is enough: sessions are kept in the database but the
    // cookie signature changes on restart, so people sign in again.
    sessionSecret: env.SESSION_SECRET || randomBytes(32).toString('hex'),
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    signInMaxAttempts: integer(env, 'SIGNIN_MAX_ATTEMPTS', 5, 1, 100),
    signInLockoutMinutes: integer(env, 'SIGNIN_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    signInRateLimitPerMinute: integer(env, 'SIGNIN_RATE_LIMIT_PER_MINUTE', 20, 1, 10000),
    cookieSecure: env.COOKIE_SECURE ? env.COOKIE_SECURE === 'true' : nodeEnv === 'production',
    demoPassword: env.DEMO_PASSWORD || undefined,
    urnUnit: urnUnit(env.URN_UNIT),
    scheduledFinalisation: env.SCHEDULED_FINALISATION ? env.SCHEDULED_FINALISATION !== 'false' : true,
    notify: notify(env),
    // Outside production, the address this process serves on (the demo's letters link to it).
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port || 3000}`).replace(/\/$/, ''),
    adminFinalisationMonths: integer(env, 'ADMIN_FINALISATION_MONTHS', DEFAULT_ADMIN_FINALISATION_MONTHS, 0, 60),
    advocateWarningDays: integer(env, 'ADVOCATE_WARNING_DAYS', 90, 0, 730),
    materialAgreementAge: integer(env, 'MATERIAL_AGREEMENT_AGE', 16, 10, 18),
    disclosureControl: {
      threshold: integer(env, 'SDC_THRESHOLD', 10, 3, 100),
      base: integer(env, 'SDC_ROUNDING_BASE', 5, 1, 100),
    },
    letterMinReadingEase: integer(env, 'LETTER_MIN_READING_EASE', 60, 0, 100),
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    version: packageJson.version,
    audit: {
      key: env.AUDIT_KEY || DEVELOPMENT_AUDIT_KEY,
      previousKeys: (env.AUDIT_PREVIOUS_KEYS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
      checkpointFile: env.AUDIT_CHECKPOINT_FILE ? path.resolve(env.AUDIT_CHECKPOINT_FILE) : undefined,
    },
  }
}
