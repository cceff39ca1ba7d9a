import type { Page } from 'playwright-core'
import { describe, it } from 'vitest'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'
import { applySteps, validReport } from '../helpers/database'

const env = useBrowserWorld()

for (const js of [true, false]) {
  describe(`work queues with JavaScript ${js ? 'on' : 'off'}`, () => {
    it('a declined request is challenged by an inspector and overturned; advice with a plan; each found from the queue', async () => {
      const { world, baseUrl, browser } = env
      const { detail } = await world.services.cases.recordReport(
        await world.as('investigator'),
        validReport({ crimeReference: `52/QUEUE-${js}/26` }),
      )
      await applySteps(world, detail.id, detail.version, [
        ['investigator', 'start_investigation', {}],
        [
          'investigator',
          'request_early_advice',
          { summary: 's', linesCompleted: 'l', linesOngoing: 'o', questions: 'q' },
        ],
        ['prosecutor', 'decline_early_advice', { reason: 'Too early' }],
      ])
      const context = await browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      const as = async (email: string, work: (page: Page) => Promise<void>) => {
        await journeys.signIn(page, baseUrl, email, js)
        await work(page)
        await page.locator('[data-qa="sign-out"]').click()
      }
      /** Opens the queue's view, finds this case's task by its label, and follows it to the case. */
      const fromQueue = async (view: string, label: string) => {
        await page.getByRole('link', { name: 'Tasks', exact: true }).click()
        await page.getByRole('link', { name: new RegExp(`^${view}`) }).click()
        const row = page.locator('[data-qa="task"]', { hasText: label }).filter({ hasText: detail.urn })
        await see(row).toHaveCount(1)
        await expectAccessible(page, js)
        await row.getByRole('link', { name: detail.urn }).click()
        await see(page.locator('[data-qa="stage"]')).toBeVisible()
      }
      const submit = (step: string, fill: () => Promise<void>) => journeys.submitEvent(page, js, step, fill)

      await as('police-inspector.avon@casebridge.example', async () => {
        await page.goto(`${baseUrl}/cases/${detail.id}`)
        await submit('challenge_early_advice_decline', async () => {
          await page.locator('[data-qa="reason"]').fill('Early advice is offered in every rape case')
        })
      })
      await as('cps-unit-head.avon@casebridge.example', async () => {
        await fromQueue('Awaiting my decision', 'Decide a challenge to declined early advice')
        await submit('decide_early_advice_challenge', async () => {
          await page.getByLabel('Overturn: a prosecutor gives early advice').check()
          await page.locator('[data-qa="reason"]').fill('Agreed: advice now will shape the interview')
        })
      })
      await as('prosecutor.avon@casebridge.example', async () => {
        await fromQueue('Awaiting my decision', 'Answer a request for early advice')
        await page.locator('[data-qa="next-give_early_advice"]').click()
        // A half-filled plan item is named on its fields, and the advice typed is kept.
        await page.locator('[data-qa="advice"]').fill('Obtain the CCTV before interview.')
        await page.locator('#items-0-description').fill('Obtain the CCTV from the venue')
        await page.locator('[data-qa="submit-event"]').click()
        await see(page.locator('.govuk-error-summary')).toContainText(
          'Give either a number of working days or a due date',
        )
        await expectAccessible(page, js)
        await page.locator('#items-0-owner').check()
        await page.locator('[data-qa="items-0-dueWorkingDays"]').fill('10')
        await page.locator('#items-0-proportionality').fill('Identification is disputed')
        await page.locator('[data-qa="submit-event"]').click()
        await see(page.locator('[data-qa="stage"]')).toHaveText('Action plan')
        await see(page.locator('[data-qa="action-item"]')).toHaveCount(1)
      })
      await as('investigator.avon@casebridge.example', async () => {
        await fromQueue('My tasks', 'Answer the action plan')
        await see(page.locator('[data-qa="next-steps"]')).toContainText('Answer an action plan item')
        await see(page.locator('[data-qa="waiting-for"]')).toContainText(
          'Answer the action plan: Investigator (officer in the case), due',
        )
      })
      await as('police-supervisor.avon@casebridge.example', async () => {
        await page.getByRole('link', { name: 'Tasks', exact: true }).click()
        await page.getByRole('link', { name: /^My team/ }).click()
        await see(page.locator('[data-qa="team-counts"]')).toContainText('Answer the action plan')
        await page.locator('[data-qa="kind-filter"]').selectOption('answer_action_plan')
        await page.locator('[data-qa="urn-filter"]').fill(detail.urn)
        await page.locator('[data-qa="apply-filters"]').click()
        await see(page.locator('[data-qa="task"]')).toHaveCount(1)
        await see(page.locator('[data-qa="task"]')).toContainText('Investigator (officer in the case)')
        await expectAccessible(page, js)
      })
      await context.close()
    })

    it('an administrator sets an escalation ladder for a force, fixing a mistake first', async () => {
      const { baseUrl, browser } = env
      const context = await browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      await journeys.signIn(page, baseUrl, 'admin.avon@casebridge.example', js)
      await page.getByRole('link', { name: 'Administration' }).click()
      await page.getByRole('link', { name: 'Escalation ladders' }).click()
      await see(page.locator('[data-qa="default-ladder"] li')).toHaveCount(4)
      await expectAccessible(page, js)
      await page.locator('[data-qa="new-ladder"]').click()
      await expectAccessible(page, js)
      await page.getByLabel('Police force').selectOption({ label: 'Thames Valley Police' })
      // The form starts from the default ladder; make the second step come before the first.
      await page.locator('#steps-1-afterWorkingDays').fill('0')
      await page.locator('[data-qa="save-ladder"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText(
        'Each step must come more working days after the due date than the step before',
      )
      await expectAccessible(page, js)
      await page.locator('#steps-1-afterWorkingDays').fill('3')
      await page.locator('[data-qa="save-ladder"]').click()
      await see(page.locator('[data-qa="ladder"]')).toContainText('Thames Valley')
      await see(page.locator('[data-qa="ladder"]')).toContainText('3 working days: Police supervisor')
      await expectAccessible(page, js)
      await page.getByRole('button', { name: /Remove the ladder for Thames Valley/ }).click()
      await see(page.locator('[data-qa="no-ladders"]')).toBeVisible()
      await context.close()
    })
  })
}
