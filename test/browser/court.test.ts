import { describe, expect, it } from 'vitest'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'

const env = useBrowserWorld()

for (const js of [true, false]) {
  describe(`hearings with JavaScript ${js ? 'on' : 'off'}`, () => {
    it('witness care records a listing, tells the complainant, and records an adjournment with who asked', async () => {
      const w = env.world
      const wcu = await w.as('witness_care')
      const charged = (await w.services.cases.list(wcu, w.services.cases.parseListQuery({ stage: 'charged' }))).items
      const caseId = charged[js ? 0 : 1]!.id
      const context = await env.browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      await journeys.signIn(page, env.baseUrl, 'witness-care.avon@casebridge.example', js)
      await page.goto(`${env.baseUrl}/cases/${caseId}`)
      await journeys.submitEvent(page, js, 'list_hearing', async () => {
        await page.getByLabel('Plea and trial preparation hearing').check()
        await journeys.fillDate(page, 'hearingOn', '2027-01-11')
        await page.locator('[data-qa="court"]').fill('Browser Test Crown Court')
        await journeys.fillDate(page, 'receivedOn', '2026-11-20')
      })
      await see(page.locator('[data-qa="hearings"]')).toContainText('Browser Test Crown Court')
      await expectAccessible(page, js)
      // The complainant's hearing entitlement is now on the victim care page.
      await page.locator('[data-qa="victim-care-link"]').click()
      await see(page.locator('[data-qa="entitlement-vc_hearing_date"]')).toContainText('Overdue')

      await page.goto(`${env.baseUrl}/cases/${caseId}`)
      await page.locator('[data-qa="next-record_hearing_outcome"]').click()
      await page.getByRole('radio', { name: /Browser Test Crown Court/ }).check()
      await page.getByLabel('It was adjourned').check()
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText('Select who asked for it')
      await see(page.locator('.govuk-error-summary')).toContainText('Enter why')
      await expectAccessible(page, js)
      await page.getByLabel('The defence').check()
      await page.locator('[data-qa="reason"]').fill('Defence expert report not ready')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Hearing adjourned')
      await see(page.locator('[data-qa="hearing"]').filter({ hasText: 'Browser Test Crown Court' })).toContainText(
        'Adjourned (defence asked)',
      )
      expect(page.url()).not.toContain('Browser')
      await context.close()
    })
  })
}
