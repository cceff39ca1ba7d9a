import { describe, expect, it } from 'vitest'
import { chargedCase } from '../helpers/database'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'

const env = useBrowserWorld()

for (const js of [true, false]) {
  describe(`the advocate panel with JavaScript ${js ? 'on' : 'off'}`, () => {
    it('a prosecutor instructs an eligible advocate, then replaces them with a reason', async () => {
      const detail = await chargedCase(env.world)
      const context = await env.browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      await journeys.signIn(page, env.baseUrl, 'prosecutor.avon@casebridge.example', js)
      await page.goto(`${env.baseUrl}/cases/${detail.id}`)
      await page.locator('[data-qa="next-instruct_advocate"]').click()
      await expectAccessible(page, js)
      // Only eligible advocates are offered; an expiring accreditation is warned of on the choice.
      const form = page.locator('[data-qa="event-form"]')
      await see(form).toContainText('Amelia Hart KC (avon)')
      await see(form).toContainText('Warning: RASSO accreditation expires on')
      await see(form).toContainText('Warning: On probation until')
      expect(await form.innerText()).not.toContain('Tom Reeve')
      expect(await form.innerText()).not.toContain('Helen Marsh')
      await page.getByLabel(/Amelia Hart KC \(avon\)/).check()
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Advocate instructed')
      await see(page.locator('[data-qa="advocate"]')).toContainText('Instructed now')
      await expectAccessible(page, js)

      // Replacing needs a reason: the rule is shown on the page, and what was chosen is kept.
      await page.locator('[data-qa="next-instruct_advocate"]').click()
      await page.getByLabel(/Daniel Okafor \(avon\)/).check()
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText('say why they are replaced')
      await expectAccessible(page, js)
      await page.getByLabel(/Daniel Okafor \(avon\)/).check()
      await page.locator('[data-qa="replacementReason"]').fill('Listed for trial when Ms Hart is in another trial')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Advocate replaced')
      await see(page.locator('[data-qa="advocate"]').first()).toContainText('Replaced')
      await see(page.locator('[data-qa="advocate"]').nth(1)).toContainText('Instructed now')

      // The new advocate returns the brief: the reason is kept and nobody is instructed until another is chosen.
      await journeys.submitEvent(page, js, 'record_returned_brief', async () => {
        await page.locator('input[name="reason"][value="diary_clash"]').check()
        await page.locator('[data-qa="details"]').fill('Another trial overran by a week')
        await journeys.fillDate(page, 'returnedOn', '2026-11-20')
      })
      await see(page.locator('[data-qa="advocate"]').nth(1)).toContainText('Brief returned')
      await see(page.locator('[data-qa="next-record_returned_brief"]')).toHaveCount(0)
      await expectAccessible(page, js)
      await context.close()
    })

    it('a unit head adds an advocate to the panel, then their training, and they become eligible', async () => {
      const context = await env.browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      await journeys.signIn(page, env.baseUrl, 'cps-unit-head.avon@casebridge.example', js)
      await page.goto(`${env.baseUrl}/advocates`)
      await see(page.locator('[data-qa="advocate"]').filter({ hasText: 'Tom Reeve' })).toContainText(
        'Required training expired',
      )
      await expectAccessible(page, js)
      await page.locator('[data-qa="add-advocate"]').click()
      await page.getByLabel('External counsel').check()
      await page.locator('input[name="rassoPanel"][value="yes"]').check()
      await page.locator('[data-qa="submit"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText('Enter the full name')
      await see(page.locator('.govuk-error-summary')).toContainText('Enter the accreditation date')
      await expectAccessible(page, js)
      const name = `Browser Counsel ${js ? 'on' : 'off'}`
      await page.locator('[data-qa="name"]').fill(name)
      await page.locator('[data-qa="chambers"]').fill('Browser Chambers')
      await journeys.fillDate(page, 'admittedOn', '2026-06-01')
      await page.locator('[data-qa="submit"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Advocate added')
      await see(page.locator('[data-qa="eligibility-notes"]')).toContainText('Required training not completed')
      await expectAccessible(page, js)
      await page.locator('[data-qa="add-training"]').click()
      await expectAccessible(page, js)
      await page.locator('input[name="course"][value="rasso_core"]').check()
      await journeys.fillDate(page, 'completedOn', '2026-09-01')
      await journeys.fillDate(page, 'expiresOn', '2026-08-01')
      await page.locator('[data-qa="submit"]').click()
      await see(page.locator('#expiresOn-error')).toContainText('The expiry date must be after the date completed')
      await journeys.fillDate(page, 'expiresOn', '2029-09-01')
      await page.locator('[data-qa="submit"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Training added')
      await see(page.locator('[data-qa="eligibility"]')).toContainText('Yes')
      await see(page.locator('[data-qa="eligibility-notes"]')).toContainText('On probation until 1 June 2027')

      // A conflict names a case of the area by its URN; a wrong one is named on the field.
      const advocatePage = page.url()
      await page.locator('[data-qa="add-conflict"]').click()
      await page.locator('[data-qa="urn"]').fill('NOT-A-URN')
      await page.locator('[data-qa="reason"]').fill('Acted for the defendant in family proceedings')
      await page.locator('[data-qa="submit"]').click()
      await see(page.locator('#urn-error')).toContainText('Enter the URN of a case in your CPS area')
      await expectAccessible(page, js)
      await page.goto(advocatePage)
      await page.locator('[data-qa="add-unavailability"]').click()
      await expectAccessible(page, js)
      await journeys.fillDate(page, 'fromOn', '2027-02-01')
      await journeys.fillDate(page, 'toOn', '2027-02-12')
      await page.locator('[data-qa="reason"]').fill('Listed for another trial')
      await page.locator('[data-qa="submit"]').click()
      await see(page.locator('[data-qa="unavailable"]')).toContainText('Listed for another trial')
      await context.close()
    })
  })
}
