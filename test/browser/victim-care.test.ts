import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'
import { noChargeOnTheEvidence, TO_THE_CPS, validReport } from '../helpers/database'

const env = useBrowserWorld()

/** Opens a victim care step for a complainant, fills it in, submits it, and is back on victim care with a banner. */
async function recordOnVictimCare(page: Page, js: boolean, type: string, fill: () => Promise<void>) {
  await page.locator(`[data-qa="action-${type}"]`).click()
  await expectAccessible(page, js)
  await fill()
  await page.locator('[data-qa="submit-event"]').click()
  await see(page.locator('[data-qa="success"]')).toBeVisible()
  await see(page.locator('h2.govuk-heading-l')).toHaveText('Victim care')
}

for (const js of [true, false]) {
  describe(`victim care with JavaScript ${js ? 'on' : 'off'}`, () => {
    it('contact meets an entitlement; referral, an ISVA, safe contact details; the ISVA raises a concern', async () => {
      const inv = await env.world.as('investigator')
      const isva = await env.world.as('isva')
      const { detail } = await env.world.services.cases.recordReport(
        inv,
        validReport({ crimeReference: `52/VICTIM-${js}/26`, reportedOn: '2026-11-02' }),
      )
      const context = await env.browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      const as = async (email: string, work: (page: Page) => Promise<void>) => {
        await journeys.signIn(page, env.baseUrl, email, js)
        await page.goto(`${env.baseUrl}/cases/${detail.id}`)
        await page.locator('[data-qa="victim-care-link"]').click()
        await see(page.locator('h2.govuk-heading-l')).toHaveText('Victim care')
        await work(page)
        await page.locator('[data-qa="sign-out"]').click()
      }
      const record = (type: string, fill: () => Promise<void>) => recordOnVictimCare(page, js, type, fill)

      await as('investigator.avon@casebridge.example', async () => {
        await see(page.locator('[data-qa="entitlement-vc_support_referral"]')).toContainText('Overdue')
        await expectAccessible(page, js)

        // A contact with nothing filled in names every missing answer; the complainant is already chosen.
        await page.locator('[data-qa="action-record_victim_contact"]').click()
        await page.locator('[data-qa="submit-event"]').click()
        await see(page.locator('.govuk-error-summary')).toContainText('Enter the date of the contact')
        await see(page.locator('.govuk-error-summary')).toContainText('Select how the contact was made')
        await expectAccessible(page, js)
        await journeys.fillDate(page, 'contactedOn', '2026-11-03')
        await page.getByLabel('Phone', { exact: true }).check()
        await page.getByLabel('We contacted them').check()
        await page.locator('[data-qa="summary"]').fill('<script>alert(1)</script> Needs discussed; VPS offered')
        await page.getByLabel('Needs assessment').check()
        await page.locator('[data-qa="submit-event"]').click()
        await see(page.locator('[data-qa="success"]')).toContainText('Contact with a complainant')
        await see(page.locator('[data-qa="contact"]')).toContainText('<script>alert(1)</script> Needs discussed')
        await see(page.locator('[data-qa="contact"]')).toContainText('Victims’ Code: needs assessment')
        await see(page.locator('[data-qa="entitlement-vc_needs_assessment"]')).toContainText('Met')

        await record('refer_to_support', async () => {
          await page.getByLabel('Independent sexual violence adviser (ISVA) service').check()
          await journeys.fillDate(page, 'referredOn', '2026-11-03')
          await page.getByLabel('Yes').check()
        })
        await see(page.locator('[data-qa="entitlement-vc_support_referral"]')).toContainText('Met')
        await record('assign_isva', async () => {
          await page.getByLabel(isva.user.name, { exact: false }).first().check()
        })
        await see(page.locator('[data-qa="isvas"]')).toContainText(isva.user.name)

        // Safe contact details: restricted, with errors on the field.
        await page.locator('[data-qa="safe-contact-link"]').click()
        await expectAccessible(page, js)
        await page.locator('[data-qa="email"]').fill('not an email')
        await page.locator('[data-qa="save"]').click()
        await see(page.locator('#email-error')).toContainText('Enter an email address in the correct format')
        await expectAccessible(page, js)
        await page.locator('[data-qa="email"]').fill('safe@example.com')
        await page.locator('[data-qa="phone"]').fill('01632 960 001')
        await page.locator('[data-qa="save"]').click()
        await see(page.locator('[data-qa="success"]')).toContainText('Safe contact details saved')
        // Never in a URL.
        expect(page.url()).not.toContain('example.com')
      })

      await as('isva.avon@casebridge.example', async () => {
        await see(page.locator('[data-qa="complainant"]')).toContainText('Test Complainant')
        await expectAccessible(page, js)
        await see(page.locator('main')).toContainText('Needs discussed')
        expect(await page.locator('main').innerText()).not.toContain('Test Suspect')
        await expect(page.locator('[data-qa="safe-contact-link"]').count()).resolves.toBe(0)
        await record('record_isva_note', async () => {
          await page.getByLabel('Concern for the case team to answer').check()
          await page.locator('[data-qa="note"]').fill('She has not been told about the interview')
        })
      })

      await as('investigator.avon@casebridge.example', async () => {
        await see(page.locator('[data-qa="isva-notes"]')).toContainText('She has not been told about the interview')
      })
      await context.close()
    })

    it('a letter is written from a template, checked, fixed, sent by post, and kept as sent', async () => {
      const inv = await env.world.as('investigator')
      const { detail } = await env.world.services.cases.recordReport(
        inv,
        validReport({ crimeReference: `52/LETTER-${js}/26` }),
      )
      const context = await env.browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      await journeys.signIn(page, env.baseUrl, 'investigator.avon@casebridge.example', js)
      await page.goto(`${env.baseUrl}/cases/${detail.id}/victim-care`)
      await page.locator('[data-qa="write-hello"]').click()
      await see(page.locator('[data-qa="reading-ease"]')).toBeVisible()
      expect(await page.locator('[data-qa="body"]').inputValue()).toMatch(/^Dear Test Complainant,/)
      await expectAccessible(page, js)

      // Jargon and a missing channel are named on their fields.
      const body = await page.locator('[data-qa="body"]').inputValue()
      await page.locator('[data-qa="body"]').fill(`${body}\n\nThe case may be NFA.`)
      await page.locator('[data-qa="check"]').click()
      await see(page.locator('#body-error')).toContainText('Instead of “NFA”')
      await expectAccessible(page, js)
      await page.locator('[data-qa="send"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText('Select how to send it')
      await expectAccessible(page, js)
      await page.locator('[data-qa="body"]').fill(body)
      await page.getByLabel('Print it and post it to their safe address').check()
      await page.locator('[data-qa="send"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Letter sent')
      await page.locator('[data-qa="letters"] a').first().click()
      await see(page.locator('[data-qa="letter-subject"]')).toContainText('Your report to the police')
      await see(page.locator('[data-qa="letter-body"]')).toContainText('Thank you for telling us what happened.')
      await see(page.locator('[data-qa="letter-delivery"]')).toContainText('To print and post')
      expect(await page.locator('[data-print]').isVisible()).toBe(js)
      await expectAccessible(page, js)
      await context.close()
    })

    it('special measures with the section 28 and gallery prompts, a withdrawal of support, and a review request', async () => {
      const w = env.world
      const inv = await w.as('investigator')
      const { detail } = await w.services.cases.recordReport(inv, validReport({ crimeReference: `52/SM-${js}/26` }))
      const context = await env.browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      const record = (type: string, fill: () => Promise<void>) => recordOnVictimCare(page, js, type, fill)
      await journeys.signIn(page, env.baseUrl, 'investigator.avon@casebridge.example', js)
      await page.goto(`${env.baseUrl}/cases/${detail.id}/victim-care`)
      await see(page.locator('[data-qa="measures-none"]')).toContainText('eligible automatically')
      await record('record_special_measures', async () => {
        await expect(page.locator('main').innerText()).resolves.toContain('section 28')
        await page.getByLabel('Complainant of a sexual offence (section 17(4), automatic)').check()
        await page.getByLabel('No', { exact: true }).check()
        await page.getByLabel('Pre-recorded cross-examination (section 28)').check()
        await page.getByLabel('Evidence in private, clearing the public gallery (section 25(4)(a))').check()
      })
      await see(page.locator('[data-qa="measures"]').first()).toContainText('Pre-recorded cross-examination')
      // Reasons are required and named on the field.
      await page.locator('[data-qa="action-record_withdrawal_of_support"]').click()
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText('Select the reasons they gave')
      await expectAccessible(page, js)
      await journeys.fillDate(page, 'withdrawnOn', '2026-11-03')
      await page.getByLabel('Delay').check()
      await page.locator('[data-qa="details"]').fill('It has all taken too long')
      await page.getByLabel('Not yet decided').check()
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="withdrawn"]')).toContainText('no longer supports the case')
      await expectAccessible(page, js)
      await page.locator('[data-qa="sign-out"]').click()

      // A CPS decision not to charge: witness care records the complainant's request for a review.
      const suspect = detail.people.find((p) => p.role === 'suspect')!.id
      let version = (await w.services.cases.get(inv, detail.id)).version
      for (const [as, type, data] of [
        ...TO_THE_CPS,
        ['prosecutor', 'record_charging_decision', noChargeOnTheEvidence(suspect)],
      ] as [string, string, Record<string, unknown>][]) {
        version = (
          await w.services.cases.applyEvent(await w.as(as), detail.id, { type, data, expectedVersion: version })
        ).detail.version
      }
      const target = detail.id
      await journeys.signIn(page, env.baseUrl, 'witness-care.avon@casebridge.example', js)
      await page.goto(`${env.baseUrl}/cases/${target}/victim-care`)
      await see(page.locator('[data-qa="review-eligible"]')).toContainText('CPS scheme')
      await record('request_vrr', async () => {
        await page.getByLabel('CPS scheme: a CPS decision not to charge').check()
        await journeys.fillDate(page, 'toldOn', '2026-11-02')
        await journeys.fillDate(page, 'receivedOn', '2026-11-04')
      })
      await see(page.locator('[data-qa="review-in-progress"]')).toContainText('CPS scheme')
      await see(page.locator('[data-qa="review"]')).toContainText('Normally asked for by 16 November 2026')
      await expectAccessible(page, js)
      await context.close()
    })

    it('the public walkthrough needs no sign-in; a complainant’s own one is printable from their victim care', async () => {
      const context = await env.browser.newContext({ javaScriptEnabled: js })
      const page = await context.newPage()
      await page.goto(`${env.baseUrl}/walkthrough`)
      await see(page.locator('h1')).toHaveText('What happens after you report rape or sexual assault')
      await see(page.locator('[data-qa="step-charged"]')).toContainText('clearing the public gallery')
      await expectAccessible(page, js)

      // Witness care opens a charged demo case's walkthrough for its complainant.
      const wcu = await env.world.as('witness_care')
      const charged = (
        await env.world.services.cases.list(wcu, env.world.services.cases.parseListQuery({ stage: 'charged' }))
      ).items[0]!
      await journeys.signIn(page, env.baseUrl, 'witness-care.avon@casebridge.example', js)
      await page.goto(`${env.baseUrl}/cases/${charged.id}/victim-care`)
      await page.locator('[data-qa="walkthrough-link"]').first().click()
      await see(page.locator('[data-qa="now"]')).toHaveText('Now: The case goes to court')
      await see(page.locator('[data-qa="happened"]')).toContainText('The suspect was charged.')
      await see(page.locator('[data-qa="contacts"]')).toContainText('The Witness Care Unit')
      expect(await page.locator('[data-qa="walkthrough"]').innerText()).not.toContain('Demo Suspect')
      // The print button appears only with JavaScript.
      expect(await page.locator('[data-print]').isVisible()).toBe(js)
      await expectAccessible(page, js)
      // Witness care sends the same walkthrough as a letter, for posting.
      await page.locator('[data-qa="send-walkthrough"]').click()
      expect(await page.locator('[data-qa="body"]').inputValue()).toContain(
        'Where your case is now: The case goes to court.',
      )
      await page.getByLabel('Print it and post it to their safe address').check()
      await page.locator('[data-qa="send"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Letter sent')
      await see(page.locator('[data-qa="letters"]')).toContainText('Walkthrough of their case')
      await context.close()
    })
  })
}
