import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { appFor, cookieHeader, form, formSignIn } from '../helpers/app'
import { createWorld, TEST_PASSWORD, type TestWorld, validReport } from '../helpers/database'
import { todayIso } from '../../src/core/fields'

let world: TestWorld
let app: FastifyInstance
beforeAll(async () => {
  world = await createWorld()
  app = await appFor(world)
})
afterAll(async () => {
  await app?.close()
  await world?.close()
})

const postForm = (url: string, cookie: string, values: Record<string, string | string[]>) =>
  app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(values),
  })

describe('sign in', () => {
  it('redirects to sign-in, then signs in with the form and lands on my cases', async () => {
    const home = await app.inject('/cases')
    expect(home.statusCode).toBe(303)
    expect(home.headers.location).toBe('/sign-in?returnTo=%2Fcases')
    const { cookie } = await formSignIn(app, 'investigator.avon@casebridge.example')
    const cases = await app.inject({ url: '/cases', headers: { cookie } })
    expect(cases.statusCode).toBe(200)
    expect(cases.body).toContain('<h1 class="govuk-heading-l">My cases</h1>')
    // An internal service's title: the page, then the service's name (issue 20).
    expect(cases.body).toMatch(/<title[^>]*>\s*My cases - Casebridge\s*<\/title>/)
    expect(cases.headers['cache-control']).toBe('no-store')
  })

  it('shows the error on the field for a wrong password, keeping the email', async () => {
    const page = await app.inject('/sign-in')
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
    const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
    const response = await postForm('/sign-in', cookie, {
      _csrf: token,
      email: 'investigator.avon@casebridge.example',
      password: 'wrong-password',
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('govuk-error-summary')
    expect(response.body).toContain('Enter a correct email address and password')
    expect(response.body).toContain('value="investigator.avon@casebridge.example"')
  })

  it('refuses a form post without the CSRF token', async () => {
    const response = await postForm('/sign-in', '', { email: 'investigator.avon@casebridge.example', password: 'x' })
    expect(response.statusCode).toBe(403)
    const { cookie } = await formSignIn(app, 'investigator.avon@casebridge.example')
    const noToken = await postForm('/sign-out', cookie, {})
    expect(noToken.statusCode).toBe(403)
  })

  it('holds back a page that keeps failing with the error summary and 429, the same for an unknown email', async () => {
    const remoteAddress = '203.0.113.80'
    const attempt = async (email: string, password: string) => {
      const page = await app.inject({ url: '/sign-in', remoteAddress })
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
      const response = await app.inject({
        method: 'POST',
        url: '/sign-in',
        remoteAddress,
        headers: { cookie: cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: token, email, password }),
      })
      const body = response.body
        .replace(/nonce="[^"]+"/g, '')
        .replace(/name="_csrf" value="[^"]+"/g, '')
        .replace(email, 'EMAIL')
      return { status: response.statusCode, retryAfter: response.headers['retry-after'], body }
    }
    const email = 'witness-care.thames@casebridge.example'
    vi.useFakeTimers({ toFake: ['Date'] })
    onTestFinished(() => void vi.useRealTimers())
    for (let i = 0; i < 5; i++) {
      const known = await attempt(email, `guess-${i}`)
      expect(known.status).toBe(400)
      expect(await attempt('nobody@casebridge.example', `guess-${i}`)).toEqual(known)
    }
    const held = await attempt(email, TEST_PASSWORD)
    expect(held).toMatchObject({ status: 429, retryAfter: '30' })
    expect(held.body).toContain('govuk-error-summary')
    expect(held.body).toContain('href="#email"')
    expect(held.body).toContain('Too many attempts to sign in. Wait 1 minute and try again')
    expect(await attempt('nobody@casebridge.example', TEST_PASSWORD)).toEqual(held)

    // The administrator sees the hold on the account, and a password reset ends it.
    const admin = await formSignIn(app, 'admin.thames@casebridge.example')
    const user = (await world.services.accounts.byEmail(email))!
    const before = await app.inject({ url: `/admin/users/${user.id}`, headers: { cookie: admin.cookie } })
    expect(before.body).toContain('data-qa="sign-in-held-back"')
    expect(before.body).toMatch(/held back after failed attempts from 1 address, until/)
    const reset = await postForm(`/admin/users/${user.id}/password`, admin.cookie, {
      _csrf: admin.csrf,
      password: 'a-new-long-password',
    })
    expect(reset.statusCode).toBe(303)
    const after = await app.inject({ url: `/admin/users/${user.id}`, headers: { cookie: admin.cookie } })
    expect(after.body).not.toContain('data-qa="sign-in-held-back"')
    expect((await attempt(email, 'a-new-long-password')).status).toBe(303)
  })

  it('never redirects to another site after sign-in', async () => {
    const page = await app.inject('/sign-in?returnTo=//evil.example/x')
    expect(page.body).toContain('name="returnTo" value="/"')
  })
})

describe('case pages', () => {
  let cookie: string
  let csrf: string
  let caseId: string
  beforeAll(async () => {
    ;({ cookie, csrf } = await formSignIn(app, 'investigator.avon@casebridge.example'))
    const inv = await world.as('investigator')
    caseId = (
      await world.services.cases.recordReport(
        inv,
        validReport({ complainants: [{ name: '<script>alert("x")</script>' }] }),
      )
    ).detail.id
  })

  it('escapes text that looks like script', async () => {
    const page = await app.inject({ url: `/cases/${caseId}`, headers: { cookie } })
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('<script>alert("x")</script>')
    expect(page.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
  })

  it('shows the 404 page to another force, exactly as for a missing case', async () => {
    const other = await formSignIn(app, 'investigator.thames@casebridge.example')
    const hidden = await app.inject({ url: `/cases/${caseId}`, headers: { cookie: other.cookie } })
    const missing = await app.inject({
      url: '/cases/00000000-0000-4000-8000-000000000000',
      headers: { cookie: other.cookie },
    })
    expect(hidden.statusCode).toBe(404)
    expect(hidden.body).toContain('<h1 class="govuk-heading-l" data-qa="error-title">Page not found</h1>')
    const strip = (html: string) => html.replace(/nonce="[^"]+"/g, '').replace(/name="_csrf" value="[^"]+"/g, '')
    expect(strip(hidden.body)).toBe(strip(missing.body))
  })

  it('applies an event from its generated form, and shows field errors on a bad one', async () => {
    const form = await app.inject({ url: `/cases/${caseId}/events/add_person`, headers: { cookie } })
    expect(form.statusCode).toBe(200)
    // A list with its own "Not recorded" says it once, chosen until something else is (issue 20, "Words").
    const ethnicity = /<select[^>]*name="ethnicity"[^>]*>([\s\S]*?)<\/select>/.exec(form.body)![1]!
    expect(ethnicity.match(/>\s*Not recorded\s*</g)).toHaveLength(1)
    expect(ethnicity).toMatch(/<option value="not_recorded" selected>\s*Not recorded\s*<\/option>/)
    expect(ethnicity).not.toContain('<option value=""')
    const version = /name="expectedVersion" value="(\d+)"/.exec(form.body)![1]!
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)![1]!
    const bad = await postForm(`/cases/${caseId}/events/add_person`, cookie, {
      _csrf: csrf,
      expectedVersion: version,
      idempotencyKey: key,
      role: 'witness',
      name: '',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '2000',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#name"')
    expect(bad.body).toContain('Enter the full name')
    expect(bad.body).toContain('href="#dateOfBirth-day"')
    expect(bad.body).toContain('The date of birth must be a real date')
    const good = await postForm(`/cases/${caseId}/events/add_person`, cookie, {
      _csrf: csrf,
      expectedVersion: version,
      idempotencyKey: key,
      role: 'witness',
      name: 'Form Witness',
    })
    expect(good.statusCode).toBe(303)
    expect(good.headers.location).toBe(`/cases/${caseId}?applied=add_person&seq=${Number(version) + 1}`)
    // The banner says what was recorded; a seq of another event, or nonsense, gives the generic words.
    const shown = await app.inject({ url: good.headers.location as string, headers: { cookie } })
    expect(shown.body).toContain('Witness added')
    const odd = await app.inject({
      url: `/cases/${caseId}?applied=add_person&seq=1%27%20OR%201=1`,
      headers: { cookie },
    })
    expect(odd.statusCode).toBe(200)
    // The same form submitted again (a double click) records nothing new.
    const again = await postForm(`/cases/${caseId}/events/add_person`, cookie, {
      _csrf: csrf,
      expectedVersion: version,
      idempotencyKey: key,
      role: 'witness',
      name: 'Form Witness',
    })
    expect(again.statusCode).toBe(303)
    const people = (await world.services.cases.get(await world.as('investigator'), caseId)).people.filter(
      (p) => p.name === 'Form Witness',
    )
    expect(people).toHaveLength(1)
  })

  it('tells the person what changed when the case moved on under them', async () => {
    const version = (await world.services.cases.get(await world.as('investigator'), caseId)).version
    await world.services.cases.applyEvent(await world.as('police_supervisor'), caseId, {
      type: 'start_investigation',
      data: {},
      expectedVersion: version,
    })
    const stale = await postForm(`/cases/${caseId}/events/add_person`, cookie, {
      _csrf: csrf,
      expectedVersion: String(version),
      role: 'witness',
      name: 'Late Witness',
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.body).toContain('The case has changed since you loaded it')
    expect(stale.body).toContain('Investigation started')
  })

  it('refuses an event the role may not apply with the 403 page', async () => {
    const response = await app.inject({ url: `/cases/${caseId}/events/sign_off_police_outcome`, headers: { cookie } })
    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('You do not have permission')
  })

  it('explains why an event cannot be done yet with the 422 page', async () => {
    const sup = await formSignIn(app, 'police-supervisor.avon@casebridge.example')
    const response = await app.inject({
      url: `/cases/${caseId}/events/sign_off_police_outcome`,
      headers: { cookie: sup.cookie },
    })
    expect(response.statusCode).toBe(422)
    expect(response.body).toContain('There is no proposed outcome to sign off')
  })

  it('shows the timeline and, to a supervisor, the access log', async () => {
    const timeline = await app.inject({ url: `/cases/${caseId}/timeline`, headers: { cookie } })
    expect(timeline.body).toContain('moj-timeline')
    expect(timeline.body).toContain('Report recorded')
    // Who recorded it, with their role as people write it (issue 20, "Words").
    expect(timeline.body).toMatch(/Investigator \(Avon\) demo, Investigator\s*</)
    expect((await app.inject({ url: `/cases/${caseId}/access-log`, headers: { cookie } })).statusCode).toBe(403)
    const sup = await formSignIn(app, 'police-supervisor.avon@casebridge.example')
    const log = await app.inject({ url: `/cases/${caseId}/access-log`, headers: { cookie: sup.cookie } })
    expect(log.statusCode).toBe(200)
    expect(log.body).toContain('Open a case to work on it')
  })

  it('shows the deadlines page with how each date was worked out', async () => {
    const version = (await world.services.cases.get(await world.as('investigator'), caseId)).version
    await world.services.cases.applyEvent(await world.as('investigator'), caseId, {
      type: 'propose_police_outcome',
      data: { outcomeCode: 16, rationale: 'r' },
      expectedVersion: version,
    })
    const page = await app.inject({ url: `/cases/${caseId}/deadlines`, headers: { cookie } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Supervisor sign-off of a proposed police outcome')
    // The sign-off clock starts on the day the outcome was proposed: today, as the event was recorded today.
    const today = todayIso()
    const started = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    })
    expect(page.body).toMatch(
      new RegExp(
        `How the due date of “Supervisor sign-off of a proposed police outcome” \\(counting from ${started.format(new Date(today))}\\) was worked out[\\s\\S]*?<li>Start: ${today} \\(day 0, the day of the event\\)</li>`,
      ),
    )
    // A clock counts from the event's own date, which may be before the day it was recorded: the report is dated
    // 10 January 2026 and recorded today. The table, the explanation and its heading all give the date it counts from;
    // the day it was recorded is said only where it is labelled so (issue 20, "Dates that agree").
    const row = /<tr class="govuk-table__row" data-qa="clock-vc_needs_assessment">([\s\S]*?)<\/tr>/.exec(page.body)![1]!
    expect(row).toMatch(/<td class="govuk-table__cell casebridge-nowrap">10 January 2026<\/td>/)
    expect(page.body).toMatch(
      new RegExp(
        `“Victims’ Code: needs assessment” \\(counting from 10 January 2026\\) was worked out[\\s\\S]*?The event that started it was recorded on ${started.format(new Date(today))}\\.[\\s\\S]*?<li>Start: 2026-01-10`,
      ),
    )
  })

  it('shows my tasks after the scheduler has escalated an overdue item, in the page and the API', async () => {
    await world.services.scheduler.tick('2027-12-01')
    const sup = await formSignIn(app, 'police-supervisor.avon@casebridge.example')
    const page = await app.inject({ url: '/tasks', headers: { cookie: sup.cookie } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('data-qa="task"')
    expect(page.body).toContain('My team (26)')
    expect(page.body).toContain('<p class="govuk-body" data-qa="task-count">5 tasks</p>')
    expect(page.body).toContain('data-qa="notifications"')
    const api = await app.inject({ url: '/api/v1/tasks', headers: { cookie: sup.cookie } })
    expect(
      api
        .json()
        .tasks.map((t: { kind: string }) => t.kind)
        .sort(),
    ).toEqual([
      'police_outcome_sign_off',
      'police_outcome_sign_off',
      'referral_sign_off',
      'schedule_sign_off',
      'schedule_sign_off',
    ])
    expect(api.json().counts).toEqual({ mine: 5, today: 0, overdue: 0, awaiting: 5, team: 26 })
    expect(api.json().counts).toMatchObject({ mine: api.json().tasks.length, team: expect.any(Number) })
    const team = await app.inject({ url: '/tasks?view=team', headers: { cookie: sup.cookie } })
    expect(team.body).toContain('data-qa="team-counts"')
    expect(team.body).toContain('Investigator (officer in the case)')
    const admin = await formSignIn(app, 'admin.avon@casebridge.example')
    const outbox = await app.inject({ url: '/admin/outbox', headers: { cookie: admin.cookie } })
    expect(outbox.body).toContain('data-qa="outbox"')
    expect(outbox.body).toContain('GOV.UK Notify is not configured')
    // The demo's emailed letter to a complainant is listed without its text or their address.
    expect(outbox.body).toContain('A letter to a complainant (kept on the case')
    expect(outbox.body).not.toContain('safe.contact.avon@example.com')
    expect(team.body).toContain('data-qa="victim-updates-by-officer"')
  })

  it('shows each work queue, and a wrong filter on its field', async () => {
    const inv = await formSignIn(app, 'investigator.avon@casebridge.example')
    for (const view of ['mine', 'overdue', 'awaiting']) {
      const page = await app.inject({ url: `/tasks?view=${view}`, headers: { cookie: inv.cookie } })
      expect(page.statusCode).toBe(200)
      // The queue's own tab is the current one (the service navigation marks Tasks with aria-current="true").
      expect(page.body).toContain(`<a class="moj-sub-navigation__link" aria-current="page" href="/tasks?view=${view}">`)
    }
    // No team view for an investigator: the page falls back to their own tasks, the API says why.
    const team = await app.inject({ url: '/tasks?view=team', headers: { cookie: inv.cookie } })
    expect(team.statusCode).toBe(200)
    expect(team.body).not.toContain('My team')
    const apiTeam = await app.inject({ url: '/api/v1/tasks?view=team', headers: { cookie: inv.cookie } })
    expect(apiTeam.statusCode).toBe(403)
    const bad = await app.inject({
      url: `/tasks?kind=${encodeURIComponent('<script>alert(1)</script>')}&q=${'X'.repeat(80)}`,
      headers: { cookie: inv.cookie },
    })
    expect(bad.statusCode).toBe(200)
    expect(bad.body).toContain('Select a kind of task from the list')
    expect(bad.body).toContain('href="#kind"')
    expect(bad.body).toContain('A URN is at most 60 characters')
    expect(bad.body).not.toContain('<script>alert(1)</script>')
    const apiBad = await app.inject({ url: '/api/v1/tasks?view=all', headers: { cookie: inv.cookie } })
    expect(apiBad.statusCode).toBe(400)
    expect(apiBad.json().error.fields).toEqual({ view: 'Select a view from the list' })
  })

  it('shows the list filter error on the field rather than failing', async () => {
    const response = await app.inject({ url: '/cases?stage=nonsense&page=abc', headers: { cookie } })
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('Select a stage from the list')
  })
})

describe('record a report without JavaScript', () => {
  it('walks the questions, checks the answers and records one case even if submitted twice', async () => {
    const { cookie, csrf } = await formSignIn(app, 'investigator.avon@casebridge.example')
    expect((await app.inject({ url: '/cases/new', headers: { cookie } })).headers.location).toBe(
      '/cases/new/report-details',
    )
    const empty = await postForm('/cases/new/report-details', cookie, { _csrf: csrf })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Enter the police crime reference')
    expect(empty.body).toContain('Enter the date reported')
    const steps: [string, Record<string, string | string[]>][] = [
      [
        'report-details',
        {
          crimeReference: '52/PAGES/26',
          'reportedOn-day': '10',
          'reportedOn-month': '1',
          'reportedOn-year': '2026',
          flags: ['vulnerable', 'nonRecent'],
          restricted: 'no',
        },
      ],
      ['offence', { code: '19C', 'committedFrom-day': '8', 'committedFrom-month': '1', 'committedFrom-year': '2026' }],
      ['complainant', { name: 'Page Complainant', sex: 'female', ageBand: '25_34' }],
      ['suspect', { known: 'no' }],
    ]
    for (const [slug, values] of steps) {
      const response = await postForm(`/cases/new/${slug}`, cookie, { _csrf: csrf, ...values })
      expect(response.statusCode, `${slug}: ${response.body.slice(0, 200)}`).toBe(303)
    }
    const check = await app.inject({ url: '/cases/new/check', headers: { cookie } })
    expect(check.body).toContain('Page Complainant')
    expect(check.body).toContain('Vulnerable or intimidated complainant, Non-recent offence')
    const [first, second] = await Promise.all([
      postForm('/cases/new/check', cookie, { _csrf: csrf }),
      postForm('/cases/new/check', cookie, { _csrf: csrf }),
    ])
    expect(first.statusCode).toBe(303)
    expect([303]).toContain(second.statusCode)
    const cases = await world.database.db
      .selectFrom('cases')
      .select('id')
      .where('crime_reference', '=', '52/PAGES/26')
      .execute()
    expect(cases).toHaveLength(1)
  })

  it('is not offered to a prosecutor', async () => {
    const { cookie } = await formSignIn(app, 'prosecutor.avon@casebridge.example')
    expect((await app.inject({ url: '/cases/new', headers: { cookie } })).statusCode).toBe(403)
  })
})

describe('administration', () => {
  it('lets an administrator add a user, with field errors first', async () => {
    const { cookie, csrf } = await formSignIn(app, 'admin.avon@casebridge.example')
    const bad = await postForm('/admin/users/new', cookie, {
      _csrf: csrf,
      name: '',
      email: 'nope',
      orgCode: 'kent',
      roles: 'prosecutor',
      password: 'x',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Enter an email address in the correct format')
    const good = await postForm('/admin/users/new', cookie, {
      _csrf: csrf,
      name: 'Kent Officer',
      email: 'officer@kent.example',
      orgCode: 'kent',
      roles: 'investigator',
      password: 'long-enough-password',
    })
    expect(good.statusCode).toBe(303)
    expect((await app.inject({ url: '/admin/users', headers: { cookie } })).body).toContain('officer@kent.example')
  })

  it('changes a user’s roles, naming each problem on the field, and never removes the administrator’s own role', async () => {
    const { cookie, csrf } = await formSignIn(app, 'admin.avon@casebridge.example')
    const user = (await world.services.accounts.byEmail('police-supervisor-2.avon@casebridge.example'))!
    const me = (await world.services.accounts.byEmail('admin.avon@casebridge.example'))!
    const none = await postForm(`/admin/users/${user.id}/roles`, cookie, { _csrf: csrf })
    expect(none.statusCode).toBe(400)
    expect(none.body).toContain('Select at least one role')
    const misfit = await postForm(`/admin/users/${user.id}/roles`, cookie, { _csrf: csrf, roles: 'prosecutor' })
    expect(misfit.statusCode).toBe(400)
    expect(misfit.body).toMatch(/RASSO prosecutor is not a role in Avon and Somerset/)
    const own = await postForm(`/admin/users/${me.id}/roles`, cookie, { _csrf: csrf, roles: 'analyst' })
    expect(own.statusCode).toBe(400)
    expect(own.body).toContain('You cannot remove your own administrator role')
    expect((await world.services.accounts.byEmail('admin.avon@casebridge.example'))!.roles).toEqual(['admin'])
    const good = await postForm(`/admin/users/${user.id}/roles`, cookie, {
      _csrf: csrf,
      roles: ['police_supervisor', 'police_inspector'],
    })
    expect(good.statusCode).toBe(303)
    expect(good.headers.location).toBe(`/admin/users/${user.id}?saved=1`)
    const changed = (await world.services.accounts.byEmail('police-supervisor-2.avon@casebridge.example'))!
    expect([...changed.roles].sort()).toEqual(['police_inspector', 'police_supervisor'])
    const audited = await world.services.repos.audit.forRecord(user.id)
    expect(audited.filter((r) => r.action === 'change_roles' && r.actor_id === me.id)).toHaveLength(1)
  })

  it('deactivates and reactivates a user (who then cannot and can sign in), but never the administrator', async () => {
    const { cookie, csrf } = await formSignIn(app, 'admin.thames@casebridge.example')
    const email = 'analyst.thames@casebridge.example'
    const user = (await world.services.accounts.byEmail(email))!
    const me = (await world.services.accounts.byEmail('admin.thames@casebridge.example'))!
    const signIn = () =>
      app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: TEST_PASSWORD } })
    expect((await postForm(`/admin/users/${user.id}/active`, cookie, { _csrf: csrf, active: 'no' })).statusCode).toBe(
      303,
    )
    expect((await signIn()).statusCode).toBe(401)
    expect((await postForm(`/admin/users/${user.id}/active`, cookie, { _csrf: csrf, active: 'yes' })).statusCode).toBe(
      303,
    )
    expect((await signIn()).statusCode).toBe(201)
    const self = await postForm(`/admin/users/${me.id}/active`, cookie, { _csrf: csrf, active: 'no' })
    expect(self.statusCode).toBe(422)
    expect(self.body).toContain('You cannot deactivate your own account')
    expect((await world.services.accounts.byEmail('admin.thames@casebridge.example'))!.active).toBe(true)
    const missing = await postForm('/admin/users/00000000-0000-4000-8000-000000000000/active', cookie, {
      _csrf: csrf,
      active: 'no',
    })
    expect(missing.statusCode).toBe(404)
  })

  it('resets a password: too short is named on the field, a good one signs in', async () => {
    const { cookie, csrf } = await formSignIn(app, 'admin.thames@casebridge.example')
    const email = 'scrutiny-panel.thames@casebridge.example'
    const user = (await world.services.accounts.byEmail(email))!
    const short = await postForm(`/admin/users/${user.id}/password`, cookie, { _csrf: csrf, password: 'short' })
    expect(short.statusCode).toBe(400)
    expect(short.body).toContain(
      '<span class="govuk-visually-hidden">Error:</span> Password must be 12 characters or more',
    )
    const good = await postForm(`/admin/users/${user.id}/password`, cookie, {
      _csrf: csrf,
      password: 'a-new-long-password-2026',
    })
    expect(good.statusCode).toBe(303)
    const signIn = (password: string) =>
      app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } })
    expect((await signIn('a-new-long-password-2026')).statusCode).toBe(201)
    expect((await signIn(TEST_PASSWORD)).statusCode).toBe(401)
  })

  it('edits an organisation and the force-area mappings, naming each problem on its field', async () => {
    const { cookie, csrf } = await formSignIn(app, 'admin.avon@casebridge.example')
    const bad = await postForm('/admin/organisations/kent', cookie, {
      _csrf: csrf,
      name: '',
      urnCode: 'X!',
      active: 'maybe',
    })
    expect(bad.statusCode).toBe(400)
    for (const message of [
      'Enter the name',
      'URN code must be two letters or digits',
      'Select whether the organisation is active',
    ])
      expect(bad.body).toContain(message)
    const taken = await postForm('/admin/organisations/kent', cookie, {
      _csrf: csrf,
      name: 'Kent Police',
      urnCode: (await world.services.repos.reference.organisation('avon-and-somerset'))!.urn_code!,
      active: 'yes',
    })
    expect(taken.statusCode).toBe(400)
    expect(taken.body).toContain('Another force already has this URN code')
    const renamed = await postForm('/admin/organisations/kent', cookie, {
      _csrf: csrf,
      name: 'Kent Police',
      active: 'yes',
    })
    expect(renamed.statusCode).toBe(303)
    expect((await world.services.repos.reference.organisation('kent'))!.name).toBe('Kent Police')

    const mappings = async () =>
      (await world.services.repos.reference.forceAreas()).filter((m) => m.force_code === 'kent').map((m) => m.area_code)
    const unknown = await postForm('/admin/force-areas', cookie, {
      _csrf: csrf,
      forceCode: 'nowhere',
      areaCode: 'kent',
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.body).toContain('Select a police force')
    expect(unknown.body).toContain('Select a CPS area')
    const before = await mappings()
    const added = await postForm('/admin/force-areas', cookie, {
      _csrf: csrf,
      forceCode: 'kent',
      areaCode: 'cps-south-west',
    })
    expect(added.statusCode).toBe(303)
    expect(await mappings()).toEqual(expect.arrayContaining([...before, 'cps-south-west']))
    const removed = await postForm('/admin/force-areas', cookie, {
      _csrf: csrf,
      action: 'remove',
      forceCode: 'kent',
      areaCode: 'cps-south-west',
    })
    expect(removed.statusCode).toBe(303)
    expect(await mappings()).toEqual(before)
    const unmapped = await postForm('/admin/force-areas', cookie, {
      _csrf: csrf,
      action: 'default',
      forceCode: 'kent',
      areaCode: 'cps-south-west',
    })
    expect(unmapped.statusCode).toBe(400)
    expect(unmapped.body).toContain('Map the force to this area before making it the default')
  })

  it('lets an administrator change a clock period, showing a bad value on the field', async () => {
    const { cookie, csrf } = await formSignIn(app, 'admin.avon@casebridge.example')
    const bad = await postForm('/admin/clocks/police_outcome_sign_off', cookie, { _csrf: csrf, days: 'soon' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#days-police_outcome_sign_off"')
    expect(bad.body).toContain('Enter the number of days')
    const good = await postForm('/admin/clocks/police_outcome_sign_off', cookie, { _csrf: csrf, days: '7' })
    expect(good.statusCode).toBe(303)
    expect((await app.inject({ url: '/admin/clocks', headers: { cookie } })).body).toContain('value="7"')
  })

  it('lets an administrator set a ladder for a force, naming each problem on its field, and remove it', async () => {
    const { cookie, csrf } = await formSignIn(app, 'admin.avon@casebridge.example')
    const edit = await app.inject({ url: '/admin/ladders/edit', headers: { cookie } })
    expect(edit.statusCode).toBe(200)
    expect(edit.body).toContain('value="case_progression_meeting"')
    const bad = await postForm('/admin/ladders', cookie, {
      _csrf: csrf,
      forceCode: 'avon-and-somerset',
      areaCode: '',
      'steps-0-id': 'reminder',
      'steps-0-afterWorkingDays': '2',
      'steps-0-roles': 'owner',
      'steps-0-title': 'Reminder',
      'steps-1-id': 'reminder',
      'steps-1-afterWorkingDays': 'one',
      'steps-1-title': "'; DROP TABLE escalation_ladders; --",
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#steps-1-id"')
    expect(bad.body).toContain('Each step needs a different name')
    expect(bad.body).toContain('href="#steps-1-afterWorkingDays"')
    expect(bad.body).toContain('href="#steps-1-roles"')
    // What was typed is kept.
    expect(bad.body).toContain('value="one"')
    expect(await world.services.calendar.ladderSettings()).toEqual([])
    const good = await postForm('/admin/ladders', cookie, {
      _csrf: csrf,
      forceCode: 'avon-and-somerset',
      areaCode: '',
      'steps-0-id': 'reminder',
      'steps-0-afterWorkingDays': '0',
      'steps-0-roles': 'owner',
      'steps-0-title': 'Reminder',
      'steps-1-id': 'inspector',
      'steps-1-afterWorkingDays': '5',
      'steps-1-roles': ['police_inspector', 'cps_unit_head'],
      'steps-1-title': 'Inspector and unit head',
    })
    expect(good.statusCode).toBe(303)
    const list = await app.inject({ url: '/admin/ladders', headers: { cookie } })
    expect(list.body).toContain('<td class="govuk-table__cell">Avon and Somerset Constabulary</td>')
    expect(list.body).toContain('5 working days: Police inspector (or above), CPS unit head')
    const [ladder] = await world.services.calendar.ladderSettings()
    expect((await postForm(`/admin/ladders/${ladder!.id}/remove`, cookie, { _csrf: csrf })).statusCode).toBe(303)
    expect(await world.services.calendar.ladderSettings()).toEqual([])
    expect((await postForm('/admin/ladders/not-an-id/remove', cookie, { _csrf: csrf })).statusCode).toBe(404)
    const inv = await formSignIn(app, 'investigator.avon@casebridge.example')
    expect((await app.inject({ url: '/admin/ladders', headers: { cookie: inv.cookie } })).statusCode).toBe(403)
  })

  it('keeps everyone else out, and keeps administrators out of cases', async () => {
    const inv = await formSignIn(app, 'investigator.avon@casebridge.example')
    expect((await app.inject({ url: '/admin/users', headers: { cookie: inv.cookie } })).statusCode).toBe(403)
    const admin = await formSignIn(app, 'admin.avon@casebridge.example')
    const list = await app.inject({ url: '/cases', headers: { cookie: admin.cookie } })
    expect(list.body).toContain('<p class="govuk-body" data-qa="case-count">0 cases</p>')
  })
})
