import { fullCodeCharge, REFERRAL } from './facts'
import { openSnapshot, snapshotKey } from './snapshot'
import { sql } from 'kysely'
import { inject } from 'vitest'
import { loadConfig, type Config } from '../../src/config'
import { type DatabaseHandle, openDatabase } from '../../src/data/database'
import { migrate } from '../../src/data/migrate'
import { ensureReferenceData, ensureSystemUser } from '../../src/data/reference'
import { createServices, type Services } from '../../src/services'
import { contextFor } from '../../src/services/context'
import type { TaskView } from '../../src/core/tasks'
import type { RequestContext } from '../../src/services/context'
import { demoEmail, loadDemo } from '../../src/services/demo'

export const TEST_PASSWORD = 'test-password-long-enough'

/**
 * A real database for a test file: PostgreSQL when DATABASE_URL is set (CI runs the suites again that way),
 * otherwise one in-memory PGlite for the whole file. Data is reset to the reference data plus the demo set.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://', poolSize: 10 })
  await migrate(database.db)
  await ensureReferenceData(database.db)
  return database
}

export async function resetData(database: DatabaseHandle) {
  await sql`TRUNCATE audit_log, case_events, case_access, case_people, case_offences, cases, urn_serials, sessions, api_tokens, user_roles, users, unit_coverage, clock_settings, escalation_ladders, advocates, measure_cells RESTART IDENTITY CASCADE`.execute(
    database.db,
  )
  await ensureSystemUser(database.db)
  await database.db.deleteFrom('organisations').where('kind', 'in', ['witness_care_unit', 'isva_service']).execute()
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), ...overrides })
}

export interface TestWorld {
  database: DatabaseHandle
  services: Services
  /** A request context for a demo user, e.g. as('investigator', 'avon'). */
  as(role: string, side?: 'avon' | 'thames'): Promise<RequestContext>
  close(): Promise<void>
}

/**
 * Settings that play no part in loading the demo (they matter only when signing in, reading a case, sending email
 * or running the scheduled job), so files that differ only in these share one demo snapshot. Any other override
 * (PUBLIC_URL, for one, is written into the demo's letters) gets a snapshot of its own, loaded with it.
 */
const NOT_USED_BY_THE_DEMO = new Set([
  'ADMIN_FINALISATION_MONTHS',
  'SCHEDULED_FINALISATION',
  'SIGNIN_MAX_ATTEMPTS',
  'SIGNIN_LOCKOUT_MINUTES',
  'SIGNIN_RATE_LIMIT_PER_MINUTE',
  'SESSION_IDLE_MINUTES',
  'NOTIFY_API_KEY',
  'NOTIFY_EMAIL_TEMPLATE_ID',
  'NOTIFY_BASE_URL',
  'COOKIE_SECURE',
  'LOG_LEVEL',
])

/** An empty database made ready for tests: migrated, reference data, reset, and the demo loaded as `overrides` say. */
async function loadTestData(database: DatabaseHandle, overrides: Record<string, string>) {
  await migrate(database.db)
  await ensureReferenceData(database.db)
  await resetData(database)
  await loadDemo(createServices(testConfig(overrides), database), TEST_PASSWORD)
}

/**
 * The file's database with the reference data and the demo loaded: a copy of this run's snapshot (built by the
 * first file to need it, see ./snapshot.ts), or, outside a run set up by test/global-setup.ts, loaded here.
 */
async function openDemoDatabase(overrides: Record<string, string>): Promise<DatabaseHandle> {
  const demoOverrides = Object.fromEntries(
    Object.entries(overrides)
      .filter(([name]) => !NOT_USED_BY_THE_DEMO.has(name))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  )
  const snapshot = await openSnapshot(inject('casebridgeRun'), snapshotKey(demoOverrides), (database) =>
    loadTestData(database, demoOverrides),
  )
  if (snapshot) return snapshot
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://', poolSize: 10 })
  await loadTestData(database, overrides)
  return database
}

export async function createWorld(overrides: Record<string, string> = {}): Promise<TestWorld> {
  const database = await openDemoDatabase(overrides)
  const services = createServices(testConfig(overrides), database)
  return {
    database,
    services,
    async as(role, side = 'avon') {
      const email = role.includes('@') ? role : demoEmail(role.replace(/-/g, '_') as never, side)
      const user = await services.accounts.byEmail(email)
      if (!user) throw new Error(`No test user ${email}`)
      return contextFor(user, 'test', 'test')
    },
    close: () => database.close(),
  }
}

/** A person's open tasks on one case, in a view of their work queue. */
export async function tasksOn(world: TestWorld, ctx: RequestContext, caseId: string, view: TaskView = 'mine') {
  const queue = await world.services.workQueue.list(ctx, world.services.workQueue.parseQuery({ view }))
  return queue.tasks.filter((t) => t.caseId === caseId)
}

export const validReport = (overrides: Record<string, unknown> = {}) => ({
  crimeReference: '52/99999/26',
  reportedOn: '2026-01-10',
  offences: [{ code: '19C', committedFrom: '2026-01-08' }],
  complainants: [{ name: 'Test Complainant', sex: 'female', ageBand: '25_34' }],
  suspects: [{ name: 'Test Suspect', relationship: 'acquaintance' }],
  ...overrides,
})

/** A case taken through the pre-charge steps as the given roles; returns the case after the last step. */
export async function applySteps(
  world: TestWorld,
  caseId: string,
  version: number,
  steps: readonly [string, string, Record<string, unknown>][],
) {
  let detail = await world.services.cases.get(await world.as('investigator'), caseId)
  let expectedVersion = version
  for (const [role, type, data] of steps) {
    detail = (await world.services.cases.applyEvent(await world.as(role), caseId, { type, data, expectedVersion }))
      .detail
    expectedVersion = detail.version
  }
  return detail
}

/** The steps from a report to a referral signed off and waiting for the CPS's charging decision. */
export const TO_THE_CPS: readonly [string, string, Record<string, unknown>][] = [
  ['investigator', 'start_investigation', {}],
  ['investigator', 'prepare_charging_referral', REFERRAL],
  ['police_supervisor', 'sign_off_charging_referral', {}],
]

/** A CPS decision not to charge one suspect: the evidence is not enough. */
export const noChargeOnTheEvidence = (suspectId: string) => ({
  suspectId,
  test: 'full_code',
  evidentialStage: 'not_met',
  evidentialReasoning: 'Identification too weak',
  outcome: 'nfa_evidential',
})

/** A reported case with a signed-off referral and an action plan of one item due on 1 March 2027. */
export async function caseWithActionPlan(world: TestWorld, report: Record<string, unknown> = {}) {
  const { detail } = await world.services.cases.recordReport(await world.as('investigator'), validReport(report))
  return applySteps(world, detail.id, detail.version, [
    ...TO_THE_CPS,
    [
      'prosecutor',
      'set_action_plan',
      { items: [{ description: 'Obtain the CCTV', owner: 'investigator', dueOn: '2027-03-01', proportionality: 'p' }] },
    ],
  ])
}

/** A reported case charged under the Full Code Test, with its charges recorded: rape (charge 1), sexual assault (2). */
export async function chargedCase(
  world: TestWorld,
  report: Record<string, unknown> = {},
  { withCharges = true }: { withCharges?: boolean } = {},
) {
  const { detail } = await world.services.cases.recordReport(await world.as('investigator'), validReport(report))
  const suspect = detail.people.find((p) => p.role === 'suspect')!.id
  return applySteps(world, detail.id, detail.version, [
    ...TO_THE_CPS,
    ['prosecutor', 'record_charging_decision', fullCodeCharge(suspect)],
    ...(withCharges
      ? [
          ['prosecutor', 'record_charges', { suspectId: suspect, charges: TWO_CHARGES }] as [
            string,
            string,
            Record<string, unknown>,
          ],
        ]
      : []),
  ])
}
export const TWO_CHARGES = [
  { offenceCode: '19C', description: 'Rape of a woman aged 16 or over on 8 January 2026' },
  { offenceCode: '20A', description: 'Sexual assault of a woman on 8 January 2026' },
]

/** The steps for hearing `number` of a case, listed for a past date and then held (or adjourned or vacated). */
export const pastHearing = (
  number: number,
  hearingType: string,
  hearingOn: string,
  result: 'held' | 'adjourned' | 'vacated' = 'held',
): [string, string, Record<string, unknown>][] => [
  ['witness_care', 'list_hearing', { hearingType, hearingOn, court: 'Bristol Crown Court', receivedOn: hearingOn }],
  [
    'witness_care',
    'record_hearing_outcome',
    result === 'held'
      ? { hearingNumber: number, result }
      : { hearingNumber: number, result, requestedBy: 'defence', reason: 'The defence asked for more time' },
  ],
]

/** A targeted request for a complainant's phone: one conversation over three days. */
export const phoneRequest = (personId: string) => ({
  personId,
  material: 'phone',
  lineOfEnquiry: 'She says the suspect messaged her the morning after; he says the messages show consent',
  alternatives: ['screenshots', 'suspect_device'],
  whyNotEnough: 'The suspect deleted his copies and screenshots would not show the dates',
  necessity: 'Only the messages with the suspect over three days are needed',
  dateFrom: '2026-01-07',
  dateTo: '2026-01-09',
  categories: ['messages'],
  contacts: 'Messages between the complainant and the suspect',
  searchTerms: 'party, sorry',
})
/** Written notice of request 1 with every point, given to the person on 1 February 2026. */
export const REQUEST_NOTICE = {
  requestNumber: 1,
  givenOn: '2026-02-01',
  givenTo: 'the_person',
  told: ['what', 'why', 'handling', 'need_not_agree', 'refusal', 'time_without'],
}
/** The person's agreement to request 1, confirmed in writing. */
export const REQUEST_AGREED = {
  requestNumber: 1,
  answer: 'agreed',
  answeredOn: '2026-02-01',
  answeredBy: 'the_person',
  inWriting: true,
}
/** A phone request proposed, approved by the supervisor and its written notice given. */
export const PHONE_REQUEST_TO_NOTICE = (personId: string): [string, string, Record<string, unknown>][] => [
  ['investigator', 'propose_material_request', phoneRequest(personId)],
  ['police_supervisor', 'decide_material_request', { requestNumber: 1, decision: 'approve', reasons: 'Targeted' }],
  ['investigator', 'give_material_notice', REQUEST_NOTICE],
]
