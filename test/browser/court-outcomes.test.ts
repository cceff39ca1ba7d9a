import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { applySteps, chargedCase, pastHearing } from '../helpers/database'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'

const env = useBrowserWorld()
const PROSECUTOR = 'prosecutor.avon@casebridge.example'

/** Signs the prosecutor in on a fresh context and opens the case. */
async function openCase(js: boolean, caseId: string) {
  const context = await env.browser.newContext({ javaScriptEnabled: js })
  const page = await context.newPage()
  await journeys.signIn(page, env.baseUrl, PROSECUTOR, js)
  await page.goto(`${env.baseUrl}/cases/${caseId}`)
  return { context, page }
}

const pickRadio = (page: Page, name: string, value: string) =>
  page.locator(`input[name="${name}"][value="${value}"]`).check()

async function plea(page: Page, js: boolean, charge: number, value: 'guilty' | 'not_guilty', hearing: number) {
  await journeys.submitEvent(page, js, 'record_plea', async () => {
    await pickRadio(page, 'chargeNumber', String(charge))
    await pickRadio(page, 'plea', value)
    await pickRadio(page, 'hearingNumber', String(hearing))
  })
}

async function verdict(page: Page, js: boolean, charge: number, value: string, hearing: number) {
  await journeys.submitEvent(page, js, 'record_verdict', async () => {
    await pickRadio(page, 'chargeNumber', String(charge))
    await pickRadio(page, 'verdict', value)
    await pickRadio(page, 'hearingNumber', String(hearing))
    await journeys.fillDate(page, 'receivedOn', '2026-11-20')
  })
}

async function sentence(page: Page, js: boolean, hearing: number) {
  await page.locator('[data-qa="next-record_sentence"]').click()
  await page.locator('input[name="suspectId"]').first().check()
  await pickRadio(page, 'sentence', 'immediate_custody')
  await pickRadio(page, 'hearingNumber', String(hearing))
  await journeys.fillDate(page, 'receivedOn', '2026-11-20')
  await page.locator('[data-qa="submit-event"]').click()
  // Custody needs its length: the form says so on the field and keeps what was entered.
  await see(page.locator('.govuk-error-summary')).toContainText('Enter the length in months')
  await see(page.locator('#custodyMonths-error')).toContainText('Enter the length in months')
  await expectAccessible(page, js)
  await page.locator('[data-qa="custodyMonths"]').fill('96')
  await page.locator('[data-qa="submit-event"]').click()
  await see(page.locator('[data-qa="success"]')).toBeVisible()
}

/** A charged case with not guilty pleas to both charges at the PTPH (hearing 1) and its trial held (hearing 2). */
async function atTrial() {
  const detail = await chargedCase(env.world)
  return applySteps(env.world, detail.id, detail.version, [
    ...pastHearing(1, 'ptph', '2026-06-01'),
    ['prosecutor', 'record_plea', { chargeNumber: 1, plea: 'not_guilty', hearingNumber: 1 }],
    ['prosecutor', 'record_plea', { chargeNumber: 2, plea: 'not_guilty', hearingNumber: 1 }],
    ...pastHearing(2, 'trial', '2026-11-09'),
  ])
}

for (const js of [true, false]) {
  describe(`court outcomes with JavaScript ${js ? 'on' : 'off'}`, () => {
    it('charges recorded, a guilty plea at the first hearing, the sentence: convicted on a plea', async () => {
      const w = env.world
      let detail = await chargedCase(w, {}, { withCharges: false })
      // Sent to the Crown Court at the first appearance; the plea is taken at the PTPH, its first hearing there.
      detail = await applySteps(w, detail.id, detail.version, [
        ...pastHearing(1, 'first_appearance', '2026-09-21'),
        ...pastHearing(2, 'ptph', '2026-10-05'),
      ])
      const { context, page } = await openCase(js, detail.id)
      // The charges form: one row filled; an empty particulars field is named on its row.
      await page.locator('[data-qa="next-record_charges"]').click()
      await expectAccessible(page, js)
      await page.locator('input[name="suspectId"]').first().check()
      await page.locator('[data-qa="charges-0-offenceCode"]').selectOption('19C')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText('Enter the particulars')
      await expectAccessible(page, js)
      await page
        .locator('[data-qa="charges-0-description"]')
        .fill('Rape of a woman aged 16 or over on 8 January 2026 <script>alert(1)</script>')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('1 charge recorded')
      await see(page.locator('[data-qa="charge"]')).toContainText('<script>alert(1)</script>')

      await plea(page, js, 1, 'guilty', 2)
      await see(page.locator('[data-qa="charge"]')).toContainText(
        'Guilty (hearing 2, the first hearing in the Crown Court)',
      )
      await expectAccessible(page, js)
      await page.goto(`${env.baseUrl}/cases/${detail.id}`)
      await sentence(page, js, 2)
      await see(page.locator('[data-qa="final-outcome"]')).toHaveText('Convicted on a guilty plea')
      await see(page.locator('[data-qa="sentence"]')).toContainText('Immediate custody, 96 months')
      await expectAccessible(page, js)
      await context.close()
    })

    it('a conviction after trial, a hung jury first on one charge', async () => {
      const w = env.world
      const detail = await atTrial()
      const { context, page } = await openCase(js, detail.id)
      await verdict(page, js, 1, 'no_verdict', 2)
      await verdict(page, js, 2, 'guilty', 2)
      await see(page.locator('[data-qa="charge"]')).toContainText('Convicted after trial')
      // The retrial of charge 1 ends in a conviction too, and the sentence finalises the case.
      await applySteps(w, detail.id, (await w.services.cases.get(await w.as('prosecutor'), detail.id)).version, [
        ...pastHearing(3, 'trial', '2026-11-16'),
      ])
      await page.goto(`${env.baseUrl}/cases/${detail.id}`)
      await verdict(page, js, 1, 'guilty', 3)
      await sentence(page, js, 3)
      await see(page.locator('[data-qa="final-outcome"]')).toHaveText('Convicted after trial')
      await context.close()
    })

    it('an acquittal: not guilty on every charge finalises the case', async () => {
      const detail = await atTrial()
      const { context, page } = await openCase(js, detail.id)
      await verdict(page, js, 1, 'not_guilty', 2)
      await verdict(page, js, 2, 'not_guilty', 2)
      await see(page.locator('[data-qa="final-outcome"]')).toHaveText('Acquitted')
      await see(page.locator('[data-qa="next-record_verdict"]')).toHaveCount(0)
      await expectAccessible(page, js)
      // The complainant is told of the verdicts within 1 working day of them reaching witness care; a contact meets it.
      await page.locator('[data-qa="victim-care-link"]').click()
      await see(page.locator('[data-qa="entitlement-vc_outcome"]').first()).toContainText('Overdue')
      await page.locator('[data-qa="action-record_victim_contact"]').click()
      await journeys.fillDate(page, 'contactedOn', '2026-11-23')
      await page.getByLabel('In person', { exact: true }).check()
      await page.getByLabel('We contacted them').check()
      await page.locator('[data-qa="summary"]').fill('Told her the jury found him not guilty, with her ISVA present')
      await page.getByLabel('Told the verdict or the sentence').check()
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="success"]')).toBeVisible()
      await see(page.locator('[data-qa="entitlement-vc_outcome"]').first()).toContainText('Met')
      await expectAccessible(page, js)
      await context.close()
    })

    it('discontinued at the third hearing, with the reasons; the complainant is to be told within 1 working day', async () => {
      const w = env.world
      let detail = await chargedCase(w)
      detail = await applySteps(w, detail.id, detail.version, [
        ...pastHearing(1, 'first_appearance', '2026-05-04'),
        ...pastHearing(2, 'ptph', '2026-06-01', 'adjourned'),
        ...pastHearing(3, 'further', '2026-09-07'),
      ])
      const { context, page } = await openCase(js, detail.id)
      for (const charge of [1, 2]) {
        await page.locator('[data-qa="next-end_charge"]').click()
        await expectAccessible(page, js)
        await pickRadio(page, 'chargeNumber', String(charge))
        await pickRadio(page, 'how', charge === 1 ? 'left_on_file' : 'discontinued')
        await pickRadio(page, 'reason', 'complainant_withdrew')
        await page.locator('[data-qa="reasonDetail"]').fill("She no longer supports the case'; DROP TABLE charges; --")
        await journeys.fillDate(page, 'decidedOn', '2026-09-07')
        await page.locator('[data-qa="submit-event"]').click()
        if (charge === 1) {
          // Leaving a charge on file happens in court: the hearing is needed. Then the prosecutor decides to
          // discontinue it instead, at the third hearing.
          await see(page.locator('#hearingNumber-error')).toContainText('Select the hearing: this happens in court')
          await expectAccessible(page, js)
          await pickRadio(page, 'how', 'discontinued')
          await pickRadio(page, 'hearingNumber', '3')
          await page.locator('[data-qa="submit-event"]').click()
        }
        await see(page.locator('[data-qa="success"]')).toBeVisible()
      }
      await see(page.locator('[data-qa="final-outcome"]')).toHaveText('Discontinued')
      // Hearing 2 was adjourned, so hearing 3 is the third the case reached.
      await see(page.locator('[data-qa="charge"]').first()).toContainText('the case had reached hearing 3')
      await see(page.locator('[data-qa="charge"]').nth(1)).toContainText('the case had reached hearing 3')
      await page.locator('[data-qa="victim-care-link"]').click()
      await see(page.locator('[data-qa="entitlement-vc_charge_dropped"]').first()).toBeVisible()
      await expectAccessible(page, js)
      expect(page.url()).not.toContain('DROP')
      await context.close()
    })

    it('the judge’s directions: made at a hearing, then complied with', async () => {
      const w = env.world
      let detail = await chargedCase(w)
      detail = await applySteps(w, detail.id, detail.version, pastHearing(1, 'ptph', '2026-11-02'))
      const { context, page } = await openCase(js, detail.id)
      await journeys.submitEvent(page, js, 'record_directions', async () => {
        await pickRadio(page, 'hearingNumber', '1')
        await page.locator('[data-qa="directions-0-description"]').fill('Serve the case and initial disclosure')
        await pickRadio(page, 'directions-0-party', 'prosecution')
        await journeys.fillDate(page, 'directions-0-dueOn', '2026-11-30')
        await page.locator('[data-qa="directions-1-description"]').fill('Serve the defence statement')
        await pickRadio(page, 'directions-1-party', 'defence')
        await journeys.fillDate(page, 'directions-1-dueOn', '2026-12-28')
      })
      await see(page.locator('[data-qa="direction"]')).toHaveCount(2)
      await see(page.locator('[data-qa="waiting-for"]')).toContainText('Comply with a judge’s direction')
      await journeys.submitEvent(page, js, 'record_direction_compliance', async () => {
        await pickRadio(page, 'directionNumber', '1')
        await pickRadio(page, 'outcome', 'complied')
        await journeys.fillDate(page, 'compliedOn', '2026-11-20')
      })
      await see(page.locator('[data-qa="direction"]').first()).toContainText('Complied with 20 November 2026')
      await expectAccessible(page, js)
      await context.close()
    })
  })
}
