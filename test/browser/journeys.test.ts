import type { BrowserContext, Page } from 'playwright-core'
import { beforeAll, afterAll, describe, expect, it } from 'vitest'
import { validReport } from '../helpers/database'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'

const env = useBrowserWorld()

for (const js of [true, false]) {
  describe(`with JavaScript ${js ? 'on' : 'off'}`, () => {
    let context: BrowserContext
    let page: Page
    beforeAll(async () => {
      context = await env.browser.newContext({ javaScriptEnabled: js })
      page = await context.newPage()
    })
    afterAll(async () => context?.close())

    const crimeReference = `52/BROWSER-${js ? 'JS' : 'NOJS'}/26`

    it('an investigator signs in, records a report and finds it in my cases', async () => {
      await journeys.signIn(page, env.baseUrl, 'investigator.avon@casebridge.example', js)
      await see(page.locator('h1')).toHaveText('My cases')
      await expectAccessible(page, js)

      await page.getByRole('link', { name: 'Record a report' }).click()
      await see(page.locator('h1')).toHaveText('Report details')
      // A first try with nothing filled in shows the errors on the fields.
      await page.locator('[data-qa="continue"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText('Enter the police crime reference')
      await expectAccessible(page, js)
      await page.locator('[data-qa="crimeReference"]').fill(crimeReference)
      await journeys.fillDate(page, 'reportedOn', '2026-01-10')
      await page.getByLabel('Vulnerable or intimidated complainant').check()
      await page.getByLabel('No', { exact: true }).check()
      await page.locator('[data-qa="continue"]').click()

      await see(page.locator('h1')).toHaveText('The offence')
      await expectAccessible(page, js)
      await page.locator('[data-qa="code"]').selectOption('19C')
      await journeys.fillDate(page, 'committedFrom', '2026-01-08')
      await page.locator('[data-qa="continue"]').click()

      await see(page.locator('h1')).toHaveText('The complainant')
      await expectAccessible(page, js)
      await page.locator('[data-qa="name"]').fill('Browser Complainant')
      await page.getByLabel('Female').check()
      await page.locator('[data-qa="continue"]').click()

      await see(page.locator('h1')).toHaveText('The suspect')
      await expectAccessible(page, js)
      await page.getByLabel('Yes, the suspect is identified').check()
      await page.locator('[data-qa="name"]').fill('Browser Suspect')
      await page.locator('[data-qa="relationship"]').selectOption('acquaintance')
      await page.locator('[data-qa="continue"]').click()

      await see(page.locator('h1')).toHaveText('Check your answers before recording the report')
      await expectAccessible(page, js)
      await see(page.locator('main')).toContainText('Browser Complainant')
      await page.locator('[data-qa="record-report"]').click()

      await see(page.locator('[data-qa="success"]')).toContainText('Report recorded')
      await see(page.locator('[data-qa="stage"]')).toHaveText('Reported')
      await expectAccessible(page, js)
      const urn = (await page.locator('[data-qa="case-urn"]').innerText()).split(' ')[0]!

      await page.getByRole('link', { name: 'My cases' }).click()
      await page.locator('[data-qa="search"]').fill(crimeReference)
      await page.locator('[data-qa="apply-filters"]').click()
      await see(page.locator('[data-qa="case-row"]')).toHaveCount(1)
      await expectAccessible(page, js)
      await page.locator('[data-qa="case-link"]', { hasText: urn }).click()
      await see(page.locator('[data-qa="case-urn"]')).toContainText(urn)
    })

    it('opens the timeline and applies an event', async () => {
      await page.locator('[data-qa="next-start_investigation"]').click()
      await see(page.locator('h1')).toHaveText('Start the investigation')
      await expectAccessible(page, js)
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Investigation started')
      await see(page.locator('[data-qa="stage"]')).toHaveText('Investigation')

      await page.locator('[data-qa="next-record_arrest"]').click()
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText('Select the suspect')
      await expectAccessible(page, js)
      await page.getByLabel('Browser Suspect (suspect)').check()
      await journeys.fillDate(page, 'arrestedOn', '2026-01-11')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Suspect arrested')

      await page.getByRole('link', { name: 'Timeline' }).click()
      await see(page.locator('[data-qa="event-record_arrest"]')).toContainText('Browser Suspect')
      await see(page.locator('[data-qa="event-record_report"]')).toBeVisible()
      await expectAccessible(page, js)
      await page.getByRole('link', { name: 'Deadlines' }).click()
      // The arrest starts the complainant's Victims' Code clock: told within 1 working day (enhanced rights).
      await see(page.locator('[data-qa="clock-vc_suspect_update"]')).toContainText('Overdue')
      await expectAccessible(page, js)
    })

    it('signs out', async () => {
      await page.locator('[data-qa="sign-out"]').click()
      await see(page.locator('h1')).toHaveText('Sign in to Casebridge')
      // Said, so a person on a shared computer knows it worked (issue 20, "Words").
      await see(page.locator('[data-qa="signed-out"]')).toContainText('You have signed out.')
      await expectAccessible(page, js)
    })

    it('a user of another force gets the 404 page', async () => {
      const avonCase = (await env.world.services.cases.recordReport(await env.world.as('investigator'), validReport()))
        .detail.id
      await journeys.signIn(page, env.baseUrl, 'investigator.thames@casebridge.example', js)
      const response = await page.goto(`${env.baseUrl}/cases/${avonCase}`)
      expect(response!.status()).toBe(404)
      await see(page.locator('h1')).toHaveText('Page not found')
      await expectAccessible(page, js)
      await page.locator('[data-qa="sign-out"]').click()
    })

    it('a supervisor reads the access log; an administrator adds a user', async () => {
      const avonCase = (await env.world.services.cases.recordReport(await env.world.as('investigator'), validReport()))
        .detail.id
      await journeys.signIn(page, env.baseUrl, 'police-supervisor.avon@casebridge.example', js)
      await page.goto(`${env.baseUrl}/cases/${avonCase}`)
      await env.world.services.scheduler.tick('2027-12-01')
      await page.getByRole('link', { name: 'Tasks', exact: true }).click()
      await see(page.locator('[data-qa="task"]').first()).toBeVisible()
      await expectAccessible(page, js)
      await page.goto(`${env.baseUrl}/cases/${avonCase}`)
      await page.getByRole('link', { name: 'Access log' }).click()
      await see(page.locator('[data-qa="access-row"]').first()).toBeVisible()
      await expectAccessible(page, js)
      await env.world.services.cases.applyEvent(await env.world.as('investigator'), avonCase, {
        type: 'propose_police_outcome',
        data: { outcomeCode: 16, rationale: 'r' },
        expectedVersion: 1,
      })
      await page.getByRole('link', { name: 'Deadlines' }).click()
      await see(page.locator('[data-qa="clock-police_outcome_sign_off"]')).toContainText('Running')
      await page.locator('.govuk-details__summary').first().click()
      await see(page.locator('.govuk-details').first()).toContainText('Start: ')
      await expectAccessible(page, js)
      await page.locator('[data-qa="sign-out"]').click()

      await journeys.signIn(page, env.baseUrl, 'admin.avon@casebridge.example', js)
      await see(page.locator('h1')).toHaveText('Administration')
      await expectAccessible(page, js)
      await page.getByRole('link', { name: 'Users' }).click()
      await expectAccessible(page, js)
      await page.locator('[data-qa="add-user"]').click()
      await page.getByLabel('Full name').fill(`New Officer ${js}`)
      await page.getByLabel('Email address').fill(`new.officer.${js}@kent.example`)
      await page.getByLabel('Organisation').selectOption('kent')
      await page.getByLabel('Investigator (officer in the case)').check()
      await page.getByLabel('Temporary password').fill('short')
      await page.getByRole('button', { name: 'Add user' }).click()
      await see(page.locator('.govuk-error-summary')).toContainText('Password must be 12 characters or more')
      await expectAccessible(page, js)
      await page.getByLabel('Temporary password').fill('a-long-enough-password')
      await page.getByRole('button', { name: 'Add user' }).click()
      await see(page.locator('.govuk-notification-banner')).toContainText('Changes saved')
      await expectAccessible(page, js)
      for (const link of [
        '/admin/organisations',
        '/admin/force-areas',
        '/admin/reference',
        '/admin/organisations/kent',
      ]) {
        await page.goto(`${env.baseUrl}${link}`)
        await expectAccessible(page, js)
      }
      await page.locator('[data-qa="sign-out"]').click()
    })
  })
}
