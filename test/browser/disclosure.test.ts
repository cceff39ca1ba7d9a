import type { Page } from 'playwright-core'
import { describe, it } from 'vitest'
import { chargedCase } from '../helpers/database'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'

const env = useBrowserWorld()

async function openDisclosure(js: boolean, email: string, caseId: string) {
  const context = await env.browser.newContext({ javaScriptEnabled: js })
  const page = await context.newPage()
  await journeys.signIn(page, env.baseUrl, email, js)
  await page.goto(`${env.baseUrl}/cases/${caseId}/disclosure`)
  await expectAccessible(page, js)
  return { context, page }
}

const pick = (page: Page, name: string, value: string) =>
  page.locator(`input[name="${name}"][value="${value}"]`).check()

async function signOff(js: boolean, caseId: string, schedule: string) {
  const { context, page } = await openDisclosure(js, 'police-supervisor.avon@casebridge.example', caseId)
  await journeys.submitEvent(page, js, 'sign_off_schedule', async () => {
    await pick(page, 'schedule', schedule)
  })
  await expectAccessible(page, js)
  await context.close()
}

for (const js of [true, false]) {
  describe(`disclosure with JavaScript ${js ? 'on' : 'off'}`, () => {
    it('schedules versioned and signed off, then decided item by item by the prosecutor', async () => {
      const detail = await chargedCase(env.world)
      let { context, page } = await openDisclosure(js, 'investigator.avon@casebridge.example', detail.id)
      await see(page.locator('[data-qa="schedule-mg6c"] [data-qa="no-versions"]')).toBeVisible()
      // A sensitive item without its reason is named on its row.
      await page.locator('[data-qa="next-record_schedule_version"]').click()
      await expectAccessible(page, js)
      await pick(page, 'schedule', 'mg6d')
      await page.locator('[data-qa="items-0-description"]').fill('Referral form to the sexual assault referral centre')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('#items-0-reason-error')).toContainText('Enter why the item is sensitive')
      await expectAccessible(page, js)
      await page.locator('[data-qa="items-0-reason"]').fill('Her address and health information')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText(
        'Sensitive unused material (MG6D): new version, 1 new item',
      )
      await journeys.submitEvent(page, js, 'record_schedule_version', async () => {
        await pick(page, 'schedule', 'mg6c')
        await page
          .locator('[data-qa="items-0-description"]')
          .fill('Notes of the first account <b>to the call handler</b>')
        await page.locator('[data-qa="items-1-description"]').fill('CCTV from the bar, 22:00 to 02:00')
      })
      await see(page.locator('[data-qa="schedule-mg6c"] [data-qa="item"]')).toHaveCount(2)
      await see(page.locator('[data-qa="schedule-mg6c"] [data-qa="item"]').first()).toContainText(
        'Notes of the first account <b>to the call handler</b>',
      )
      await see(page.locator('[data-qa="schedule-mg6c"] [data-qa="version"]')).toContainText('Waiting for sign-off')
      await context.close()

      await signOff(js, detail.id, 'mg6c')
      await signOff(js, detail.id, 'mg6d')

      // A second version amends item C2; it needs signing off again before the prosecutor decides on it.
      ;({ context, page } = await openDisclosure(js, 'investigator.avon@casebridge.example', detail.id))
      await journeys.submitEvent(page, js, 'record_schedule_version', async () => {
        await pick(page, 'schedule', 'mg6c')
        await page.locator('[data-qa="amendments-0-itemRef"]').selectOption('C2')
        await page
          .locator('[data-qa="amendments-0-description"]')
          .fill('CCTV from the bar: the door camera was not working')
        await page.locator('[data-qa="amendments-0-why"]').fill('The first description did not say so')
      })
      await see(page.locator('[data-qa="schedule-mg6c"] [data-qa="version"]')).toHaveCount(2)
      await see(page.locator('[data-qa="schedule-mg6c"]')).toContainText('amended in version 2')
      await context.close()
      await signOff(js, detail.id, 'mg6c')

      ;({ context, page } = await openDisclosure(js, 'prosecutor.avon@casebridge.example', detail.id))
      await journeys.submitEvent(page, js, 'review_disclosure_items', async () => {
        await page.locator('[data-qa="decisions-0-itemRef"]').selectOption('C1')
        await page.locator('input[name="decisions-0-decision"][value="disclose"]').check()
        await page.locator('[data-qa="decisions-0-reason"]').fill('The time she gives differs from her interview.')
        await page.locator('[data-qa="decisions-1-itemRef"]').selectOption('D1')
        await page.locator('input[name="decisions-1-decision"][value="not_disclosable"]').check()
        await page.locator('[data-qa="decisions-1-reason"]').fill('Nothing in it bears on the issues.')
      })
      await see(page.locator('[data-qa="schedule-mg6c"] [data-qa="item"]').first()).toContainText(
        'Meets the test for disclosure',
      )
      await see(page.locator('[data-qa="schedule-mg6d"] [data-qa="item"]')).toContainText(
        'Does not meet the test for disclosure',
      )
      await journeys.submitEvent(page, js, 'record_dmd', async () => {
        await page.locator('[data-qa="linesOfEnquiry"]').fill('CCTV, messages, cell-site.')
        await page.locator('[data-qa="digitalStrategy"]').fill('Targeted extraction only.')
        await page.locator('[data-qa="thirdParty"]').fill('None sought.')
      })
      await see(page.locator('[data-qa="document-version"]')).toContainText('Version 1')
      await context.close()
    })
  })
}
