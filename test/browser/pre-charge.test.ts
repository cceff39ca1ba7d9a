import type { Page } from 'playwright-core'
import { describe, it } from 'vitest'
import { PUBLIC_INTEREST_QUESTIONS } from '../../src/modules/pre-charge/rules'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'
import { validReport } from '../helpers/database'

const env = useBrowserWorld()

for (const js of [true, false]) {
  describe(`pre-charge loop with JavaScript ${js ? 'on' : 'off'}`, () => {
    it('early advice, a referral signed off, and a Full Code Test charge', async () => {
      const inv = await env.world.as('investigator')
      const { detail } = await env.world.services.cases.recordReport(
        inv,
        validReport({ crimeReference: `52/PRECHARGE-${js}/26` }),
      )
      await env.world.services.cases.applyEvent(inv, detail.id, {
        type: 'start_investigation',
        data: {},
        expectedVersion: 1,
      })
      const caseUrl = `${env.baseUrl}/cases/${detail.id}`
      const context = await env.browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      const as = async (email: string, work: (page: Page) => Promise<void>) => {
        await journeys.signIn(page, env.baseUrl, email, js)
        await page.goto(caseUrl)
        await work(page)
        await page.locator('[data-qa="sign-out"]').click()
      }
      const submit = (step: string, fill: () => Promise<void>) => journeys.submitEvent(page, js, step, fill)

      await as('investigator.avon@casebridge.example', () =>
        submit('request_early_advice', async () => {
          await page.locator('[data-qa="summary"]').fill('Reported rape after a night out')
          await page.locator('[data-qa="linesCompleted"]').fill('ABE interview')
          await page.locator('[data-qa="linesOngoing"]').fill('CCTV, two weeks')
          await page.locator('[data-qa="questions"]').fill('Is a phone download proportionate?')
        }),
      )
      await as('prosecutor.avon@casebridge.example', () =>
        submit('give_early_advice', async () => {
          await page.locator('[data-qa="advice"]').fill('Obtain messages for the week either side only.')
        }),
      )
      await as('investigator.avon@casebridge.example', () =>
        submit('prepare_charging_referral', async () => {
          await page.getByLabel('Green priority').check()
          await page.locator('[data-qa="linesCompleted"]').fill('ABE, CCTV, messages')
          await page.locator('[data-qa="linesNotPursued"]').fill('None')
          await page.locator('[data-qa="victimEngagement"]').fill('Supports the case')
          // A referral for this suspect by name (ticking none refers every identified suspect).
          await page.getByRole('checkbox', { name: 'Test Suspect (suspect)' }).check()
        }),
      )
      await as('police-supervisor.avon@casebridge.example', async () => {
        await submit('sign_off_charging_referral', async () => {})
        await see(page.locator('[data-qa="stage"]')).toHaveText('Awaiting charging decision')
      })
      await as('prosecutor.avon@casebridge.example', async () => {
        await page.locator('[data-qa="next-record_charging_decision"]').click()
        await page.getByLabel('Full Code Test', { exact: true }).check()
        await page.locator('[data-qa="submit-event"]').click()
        // Every missing answer is named at once, including those the Full Code Test makes necessary.
        await see(page.locator('.govuk-error-summary')).toContainText('Select whether the evidential stage is met')
        await see(page.locator('.govuk-error-summary')).toContainText('Select the suspect')
        await expectAccessible(page, js)
        await page.getByLabel('Test Suspect (suspect)').check()
        await page.getByLabel('Yes, the evidential stage is met').check()
        await page.locator('[data-qa="evidentialReasoning"]').fill('Consistent account, supported by CCTV')
        for (const q of PUBLIC_INTEREST_QUESTIONS) await page.locator(`[data-qa="${q.key}"]`).fill('Considered')
        await page.getByLabel('A prosecution is required in the public interest').check()
        await page.getByLabel('Charge', { exact: true }).check()
        await page.locator('[data-qa="charges"]').fill('Rape')
        await page.locator('[data-qa="submit-event"]').click()
        await see(page.locator('[data-qa="stage"]')).toHaveText('Charged')
        await page.getByRole('link', { name: 'Deadlines' }).click()
        await see(page.locator('[data-qa="clock-charging_decision_time"]')).toContainText('Met')
        await expectAccessible(page, js)
      })
      await context.close()
    })

    it('an action plan set with a form of items, answered item by item', async () => {
      const inv = await env.world.as('investigator')
      const { detail } = await env.world.services.cases.recordReport(
        inv,
        validReport({ crimeReference: `52/PLAN-${js}/26` }),
      )
      let version = 1
      for (const [who, type, data] of [
        [inv, 'start_investigation', {}],
        [
          inv,
          'prepare_charging_referral',
          { category: 'green', linesCompleted: 'l', linesNotPursued: 'n', victimEngagement: 'v' },
        ],
        [await env.world.as('police_supervisor'), 'sign_off_charging_referral', {}],
      ] as const) {
        version = (await env.world.services.cases.applyEvent(who, detail.id, { type, data, expectedVersion: version }))
          .detail.version
      }
      const context = await env.browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      await journeys.signIn(page, env.baseUrl, 'prosecutor.avon@casebridge.example', js)
      await page.goto(`${env.baseUrl}/cases/${detail.id}`)
      await page.locator('[data-qa="next-set_action_plan"]').click()
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText('Add at least one item')
      await expectAccessible(page, js)
      await page.locator('#items-0-description').fill('Obtain the CCTV from the venue')
      await page.locator('#items-0-owner').check()
      await page.locator('[data-qa="items-0-dueWorkingDays"]').fill('10')
      await page.locator('#items-0-proportionality').fill('Identification is disputed')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="stage"]')).toHaveText('Action plan')
      await see(page.locator('[data-qa="action-item"]')).toHaveCount(1)
      await expectAccessible(page, js)
      await page.locator('[data-qa="sign-out"]').click()

      await journeys.signIn(page, env.baseUrl, 'investigator.avon@casebridge.example', js)
      await page.goto(`${env.baseUrl}/cases/${detail.id}`)
      await page.locator('[data-qa="next-answer_action_item"]').click()
      await expectAccessible(page, js)
      await page.getByLabel('Item 1: Obtain the CCTV from the venue').check()
      await page.getByLabel('Done', { exact: true }).check()
      await page.locator('[data-qa="details"]').fill('CCTV obtained and reviewed')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="action-item"]')).toContainText('Done')
      await see(page.locator('[data-qa="next-steps"]')).toContainText('Prepare a charging referral')
      await context.close()
    })
  })
}
