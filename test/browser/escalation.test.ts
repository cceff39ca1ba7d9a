import { describe, expect, it } from 'vitest'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'
import { caseWithActionPlan } from '../helpers/database'

// No waiting period after the plan, so the journey can reach administrative finalisation today; the unit head
// finalises it (the scheduled job's own finalisation is tested in test/db/work-queue.test.ts).
const env = useBrowserWorld({ ADMIN_FINALISATION_MONTHS: '0', SCHEDULED_FINALISATION: 'false' })

for (const js of [true, false]) {
  describe(`escalation with JavaScript ${js ? 'on' : 'off'}`, () => {
    it('an unanswered plan climbs the ladder under tick; finalisation is refused until it has, then the case is reopened', async () => {
      const { world, baseUrl, browser } = env
      const c = await caseWithActionPlan(world, { crimeReference: `52/LADDER-${js}/26` })
      const context = await browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      await journeys.signIn(page, baseUrl, 'cps-unit-head.avon@casebridge.example', js)

      // Before the ladder has run out the event is refused with the reason.
      const early = await page.goto(`${baseUrl}/cases/${c.id}/events/administratively_finalise`)
      expect(early!.status()).toBe(422)
      await see(page.locator('main')).toContainText('The escalation ladder has not run out')
      await expectAccessible(page, js)

      await world.services.scheduler.tick('2027-03-08')
      await page.goto(`${baseUrl}/cases/${c.id}/timeline`)
      await see(page.locator('[data-qa="event-escalate_action_item"]')).toHaveCount(2)
      await world.services.scheduler.tick('2027-04-30')
      await page.reload()
      await see(page.locator('[data-qa="event-escalate_action_item"]')).toHaveCount(4)
      await expectAccessible(page, js)

      await page.getByRole('link', { name: 'Tasks', exact: true }).click()
      await see(page.locator('[data-qa="task"]')).toContainText('joint case progression meeting')

      await page.goto(`${baseUrl}/cases/${c.id}`)
      await page.locator('[data-qa="next-administratively_finalise"]').click()
      await expectAccessible(page, js)
      await page.locator('[data-qa="reasons"]').fill('No answer to the plan after every escalation step')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="stage"]')).toHaveText('Finalised')
      await page.locator('[data-qa="sign-out"]').click()

      await journeys.signIn(page, baseUrl, 'prosecutor.avon@casebridge.example', js)
      await page.goto(`${baseUrl}/cases/${c.id}`)
      await page.locator('[data-qa="next-reopen"]').click()
      await page.getByLabel('Awaiting charging decision').check()
      await page.locator('[data-qa="reason"]').fill('The police have now answered the plan')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="stage"]')).toHaveText('Awaiting charging decision')
      await context.close()
    })
  })
}
