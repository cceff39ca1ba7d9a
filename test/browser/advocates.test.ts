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
      await context.close()
    })
  })
}
