import { describe, expect, it } from 'vitest'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'

const env = useBrowserWorld()

async function open(js: boolean, email: string) {
  const context = await env.browser.newContext({ javaScriptEnabled: js, acceptDownloads: true })
  const page = await context.newPage()
  await journeys.signIn(page, env.baseUrl, email, js)
  return { context, page }
}

for (const js of [true, false]) {
  describe(`joint performance with JavaScript ${js ? 'on' : 'off'}`, () => {
    it('an analyst filters the dashboard, opens a measure by force, reads its definition and downloads the table', async () => {
      const { context, page } = await open(js, 'analyst.avon@casebridge.example')
      // Analysts see no case content: they land on joint performance.
      await page.goto(env.baseUrl + '/')
      await see(page.locator('h1')).toHaveText('Joint performance')
      await expectAccessible(page, js)
      await see(page.locator('[data-qa="disclosure-control"]')).toContainText('Small numbers are protected')
      // Every definition on one page, each a link away from the dashboard.
      await page.locator('[data-qa="catalogue-link"]').click()
      await see(page.locator('[data-qa="definition-charge_rate"]')).toContainText('first charging decision')
      await expectAccessible(page, js)
      await page.goto(env.baseUrl + '/performance')
      await page.locator('[data-qa="filter-offence_group"]').selectOption('rape')
      await page.locator('[data-qa="apply-filters"]').click()
      await page.waitForURL(/offence_group=rape/)
      await see(page.locator('[data-qa="filter-offence_group"] option:checked')).toHaveText('Rape')
      await page.locator('[data-qa="measure-charge_rate"] a').first().click()
      await see(page.locator('h1')).toHaveText('Charge rate')
      expect(page.url()).toContain('offence_group=rape')
      await expectAccessible(page, js)
      // The definition is one click away, without JavaScript too (a details element).
      await page.locator('[data-qa="what-this-measures"] summary').click()
      await see(page.locator('[data-qa="definition"]')).toContainText('first charging decision')
      await page.locator('[data-qa="filter-by"]').selectOption('force')
      await page.locator('[data-qa="apply-filters"]').click()
      await page.waitForURL(/by=force/)
      await see(page.locator('[data-qa="chart"] svg[role="img"]')).toHaveCount(1)
      await see(page.locator('[data-qa="measure-table"] thead')).toContainText('Police force')
      await see(page.locator('[data-qa="measure-table"] tbody')).toContainText('Avon and Somerset')
      await expectAccessible(page, js)
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-qa="export-csv"]').click(),
      ])
      expect(download.suggestedFilename()).toBe('casebridge-charge_rate-by-force.csv')
      await context.close()
    })

    it('a wrong filter is named on its field; an officer sees exact figures for their own force', async () => {
      const { context, page } = await open(js, 'investigator.avon@casebridge.example')
      await page.goto(`${env.baseUrl}/performance/measures/attrition_funnel?from=2026-02-30`)
      await see(page.locator('.govuk-error-summary')).toContainText('Enter a real start date')
      await see(page.locator('#filter-from-error')).toContainText('Enter a real start date')
      await expectAccessible(page, js)
      await page.locator('[data-qa="filter-from"]').selectOption({ index: 0 })
      await page.locator('[data-qa="filter-force"]').selectOption('avon-and-somerset')
      await page.locator('[data-qa="apply-filters"]').click()
      await see(page.locator('[data-qa="disclosure-control"]')).toContainText('Exact figures')
      await see(page.locator('[data-qa="measure-table"] tbody')).toContainText('Reported')
      await expectAccessible(page, js)
      await context.close()
    })

    it('a unit head produces the meeting pack for a force, its area and a quarter', async () => {
      const { context, page } = await open(js, 'cps-unit-head.avon@casebridge.example')
      await page.goto(`${env.baseUrl}/performance`)
      await page.locator('[data-qa="pack-link"]').click()
      await expectAccessible(page, js)
      await page.locator('[data-qa="produce-pack"]').click()
      await see(page.locator('#filter-force-error')).toContainText('Select a police force')
      await see(page.locator('#filter-area-error')).toContainText('Select a CPS area')
      await expectAccessible(page, js)
      await page.locator('[data-qa="filter-force"]').selectOption('avon-and-somerset')
      await page.locator('[data-qa="filter-area"]').selectOption('cps-south-west')
      await page.locator('[data-qa="produce-pack"]').click()
      await see(page.locator('h1')).toContainText('Avon and Somerset Constabulary and CPS South West')
      await see(page.locator('[data-qa="pack-chart"]')).toHaveCount(5)
      await expectAccessible(page, js)
      if (js) await see(page.locator('[data-print]')).toBeVisible()
      const pdf = js ? await page.pdf({ format: 'A4' }) : null
      if (pdf) expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
      await context.close()
    })
  })
}
