import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { applySteps, PHONE_REQUEST_TO_NOTICE, REQUEST_AGREED, REQUEST_NOTICE, validReport } from '../helpers/database'
import { expectAccessible, journeys, see, useBrowserWorld } from '../helpers/browser'

const env = useBrowserWorld()
const INVESTIGATOR = 'investigator.avon@casebridge.example'
const SUPERVISOR = 'police-supervisor.avon@casebridge.example'
const PROSECUTOR = 'prosecutor.avon@casebridge.example'
const ISVA = 'isva.avon@casebridge.example'

/** Signs a person in on a fresh browser context and opens the case's digital evidence page. */
async function openDigital(js: boolean, email: string, caseId: string) {
  const context = await env.browser.newContext({ javaScriptEnabled: js })
  const page = await context.newPage()
  await journeys.signIn(page, env.baseUrl, email, js)
  await page.goto(`${env.baseUrl}/cases/${caseId}/digital`)
  await expectAccessible(page, js)
  return { context, page }
}

const pick = (page: Page, name: string, value: string) =>
  page.locator(`input[name="${name}"][value="${value}"]`).check()
const tick = async (page: Page, name: string, values: readonly string[]) => {
  for (const value of values) await pick(page, name, value)
}

/** Opens a request's action from its section of the digital page, fills it in and submits it. */
async function act(page: Page, js: boolean, request: number, type: string, fill: () => Promise<void>) {
  await page.locator(`#request-${request}`).locator('xpath=..').locator(`[data-qa="action-${type}"]`).click()
  await expectAccessible(page, js)
  await fill()
  await page.locator('[data-qa="submit-event"]').click()
  await see(page.locator('[data-qa="success"]')).toBeVisible()
  await expectAccessible(page, js)
}

async function newCase(steps: [string, string, Record<string, unknown>][] = []) {
  const w = env.world
  const { detail } = await w.services.cases.recordReport(await w.as('investigator'), validReport())
  return applySteps(w, detail.id, detail.version, [['investigator', 'start_investigation', {}], ...steps])
}
const complainantOf = (detail: { people: { id: string; role: string }[] }) =>
  detail.people.find((p) => p.role === 'complainant')!.id

async function proposePhone(page: Page, js: boolean, complainant: string) {
  await page.locator('[data-qa="propose-request"]').click()
  await expectAccessible(page, js)
  await pick(page, 'personId', complainant)
  await pick(page, 'material', 'phone')
  await page.locator('[data-qa="lineOfEnquiry"]').fill('She says he messaged her the morning after, apologising.')
  await tick(page, 'alternatives', ['screenshots', 'suspect_device'])
  await page.locator('[data-qa="whyNotEnough"]').fill('He says he lost his phone; screenshots would not show times.')
  await page.locator('[data-qa="necessity"]').fill('Only three days of one conversation.')
  await journeys.fillDate(page, 'dateFrom', '2026-01-07')
  await journeys.fillDate(page, 'dateTo', '2026-01-09')
  await page.locator('[data-qa="searchTerms"]').fill('sorry <script>alert(1)</script>')
  // No kinds of data ticked: a device's scope must name them, and the form says so on the field.
  await page.locator('[data-qa="submit-event"]').click()
  await see(page.locator('.govuk-error-summary')).toContainText('Select the kinds of data in scope')
  await see(page.locator('#categories-error')).toContainText('Select the kinds of data in scope')
  await expectAccessible(page, js)
  await tick(page, 'categories', ['messages'])
  await page.locator('[data-qa="submit-event"]').click()
  await see(page.locator('[data-qa="success"]')).toContainText('Request proposed: mobile phone')
  await see(page.locator('[data-qa="request-state"]')).toHaveText('Waiting for a supervisor’s decision')
  await see(page.locator('[data-qa="scope"]')).toContainText('sorry <script>alert(1)</script>')
}

for (const js of [true, false]) {
  describe(`digital evidence with JavaScript ${js ? 'on' : 'off'}`, () => {
    it('a targeted phone request proposed, decided, and the written notice sent as a letter', async () => {
      const detail = await newCase()
      const me = complainantOf(detail)
      let { context, page } = await openDigital(js, INVESTIGATOR, detail.id)
      await see(page.locator('[data-qa="no-requests"]')).toBeVisible()
      await proposePhone(page, js, me)
      await context.close()
      ;({ context, page } = await openDigital(js, SUPERVISOR, detail.id))
      await act(page, js, 1, 'decide_material_request', async () => {
        await pick(page, 'decision', 'approve')
        await page.locator('[data-qa="reasons"]').fill('Targeted to one conversation over three days.')
      })
      await context.close()
      ;({ context, page } = await openDigital(js, INVESTIGATOR, detail.id))
      // The written notice as a letter, filled in from the request: the officer says why, then posts it.
      await page.locator('[data-qa="write-notice"]').click()
      const letter = await page.locator('[data-qa="body"]').inputValue()
      expect(letter).toContain(
        'What we would like to look at: Your mobile phone. We would look only at messages and chats',
      )
      expect(letter).toContain('You do not have to agree.')
      await expectAccessible(page, js)
      await page
        .locator('[data-qa="body"]')
        .fill(letter.replace('[Say why in plain words.]', 'The messages may show what he said to you the next day.'))
      await page.getByLabel('Print it and post it to their safe address').check()
      await page.locator('[data-qa="send"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Letter sent')
      await page.goto(`${env.baseUrl}/cases/${detail.id}/digital`)
      await act(page, js, 1, 'give_material_notice', async () => {
        await journeys.fillDate(page, 'givenOn', '2026-02-01')
        await pick(page, 'givenTo', 'the_person')
        await tick(page, 'told', ['what', 'why', 'handling', 'need_not_agree', 'refusal', 'time_without'])
      })
      await see(page.locator('[data-qa="request-told"]')).toContainText('You do not have to agree')
      await context.close()
    })

    it('the phone agreed, taken, extracted and returned; the ISVA sees only what she was told', async () => {
      const detail = await newCase()
      const me = complainantOf(detail)
      await applySteps(env.world, detail.id, detail.version, PHONE_REQUEST_TO_NOTICE(me))
      const { context, page } = await openDigital(js, INVESTIGATOR, detail.id)
      await act(page, js, 1, 'record_material_answer', async () => {
        await pick(page, 'answer', 'agreed')
        await journeys.fillDate(page, 'answeredOn', '2026-02-01')
        await pick(page, 'answeredBy', 'the_person')
        await pick(page, 'inWriting', 'yes')
      })
      await act(page, js, 1, 'record_device_taken', async () => {
        await journeys.fillDate(page, 'takenOn', '2026-02-02')
        await page.locator('[data-qa="device"]').fill('Black smartphone')
        await pick(page, 'voluntary', 'yes')
      })
      await see(page.locator('[data-qa="device-held"]')).toBeVisible()
      await act(page, js, 1, 'record_extraction', async () => {
        await journeys.fillDate(page, 'extractedOn', '2026-02-02')
        await pick(page, 'method', 'selective')
        await pick(page, 'scopeApplied', 'as_approved')
        await pick(page, 'outsideScope', 'none')
      })
      await act(page, js, 1, 'record_device_returned', async () => {
        await journeys.fillDate(page, 'returnedOn', '2026-02-03')
        await pick(page, 'returnedTo', 'the_person')
      })
      await see(page.locator('[data-qa="days-without"]')).toHaveText('1')
      await see(page.locator('[data-qa="spell"]')).toContainText('Black smartphone')
      await see(page.locator('[data-qa="clock-device_return"]')).toContainText('Met')
      await see(page.locator('[data-qa="request-told"]')).toContainText('The police gave it back.')
      await page.goto(`${env.baseUrl}/cases/${detail.id}/victim-care/walkthrough/${me}`)
      await see(page.locator('main')).toContainText('The police gave your device back.')
      await expectAccessible(page, js)
      await context.close()

      // Her ISVA sees the status in plain words, never the request itself.
      const w = env.world
      const current = await w.services.cases.get(await w.as('investigator'), detail.id)
      await applySteps(w, detail.id, current.version, [
        [
          'investigator',
          'refer_to_support',
          { complainantId: me, service: 'isva', referredOn: '2026-01-11', consent: true },
        ],
        ['investigator', 'assign_isva', { complainantId: me, isvaId: (await w.as('isva')).user.id }],
      ])
      const isvaContext = await env.browser.newContext({ javaScriptEnabled: js })
      const isvaPage = await isvaContext.newPage()
      await journeys.signIn(isvaPage, env.baseUrl, ISVA, js)
      await isvaPage.goto(`${env.baseUrl}/cases/${detail.id}`)
      await see(isvaPage.locator('[data-qa="victim-request"]')).toHaveText(
        'Your mobile phone: The police gave it back.',
      )
      expect(await isvaPage.locator('main').innerText()).not.toMatch(/Black smartphone|three days|messaged her/)
      await expectAccessible(isvaPage, js)
      const refused = await isvaPage.goto(`${env.baseUrl}/cases/${detail.id}/digital`)
      if (refused?.status() !== 403) throw new Error(`an ISVA opened the digital evidence page: ${refused?.status()}`)
      await isvaContext.close()
    })

    it('a refused request: the case carries on and the prosecutor considers a fair trial', async () => {
      const detail = await newCase()
      const me = complainantOf(detail)
      await applySteps(env.world, detail.id, detail.version, PHONE_REQUEST_TO_NOTICE(me))
      let { context, page } = await openDigital(js, INVESTIGATOR, detail.id)
      await act(page, js, 1, 'record_material_answer', async () => {
        await pick(page, 'answer', 'refused')
        await journeys.fillDate(page, 'answeredOn', '2026-02-01')
        await pick(page, 'answeredBy', 'the_person')
      })
      await see(page.locator('[data-qa="request-state"]')).toHaveText('Refused')
      await see(page.locator('[data-qa="request-told"]')).toContainText('You did not agree. The case carries on')
      // Nothing about the request stops the investigation.
      await page.goto(`${env.baseUrl}/cases/${detail.id}`)
      await journeys.submitEvent(page, js, 'record_arrest', async () => {
        await page.locator('input[name="suspectId"]').first().check()
        await journeys.fillDate(page, 'arrestedOn', '2026-02-03')
      })
      await context.close()
      ;({ context, page } = await openDigital(js, PROSECUTOR, detail.id))
      await act(page, js, 1, 'record_fair_trial_consideration', async () => {
        await pick(page, 'conclusion', 'defence_told')
        await page.locator('[data-qa="reasons"]').fill('The messages are on his account; the defence will be told.')
      })
      await see(page.locator('[data-qa="request-summary"]')).toContainText(
        'A fair trial is possible; the defence is to be told of the refusal',
      )
      await context.close()
    })

    it('a wider scope needs a new decision, and is agreed afresh', async () => {
      const detail = await newCase()
      const me = complainantOf(detail)
      await applySteps(env.world, detail.id, detail.version, [
        ...PHONE_REQUEST_TO_NOTICE(me),
        ['investigator', 'record_material_answer', REQUEST_AGREED],
      ])
      let { context, page } = await openDigital(js, INVESTIGATOR, detail.id)
      await act(page, js, 1, 'rescope_material_request', async () => {
        await page.locator('[data-qa="whyNewScope"]').fill('The messages mention photos he sent that night.')
        await page.locator('[data-qa="necessity"]').fill('Only the photos exchanged with him that night.')
        await journeys.fillDate(page, 'dateFrom', '2026-01-08')
        await journeys.fillDate(page, 'dateTo', '2026-01-08')
        await tick(page, 'categories', ['photos'])
      })
      await see(page.locator('[data-qa="scope"]')).toHaveCount(2)
      await see(page.locator('[data-qa="request-state"]')).toHaveText('Waiting for a supervisor’s decision')
      // The agreement to the first scope does not cover this one: the device cannot be taken now.
      await see(page.locator('[data-qa="action-record_device_taken"]')).toHaveCount(0)
      await context.close()
      ;({ context, page } = await openDigital(js, SUPERVISOR, detail.id))
      await act(page, js, 1, 'decide_material_request', async () => {
        await pick(page, 'decision', 'approve')
        await page.locator('[data-qa="reasons"]').fill('Justified by what the first stage found.')
      })
      await see(page.locator('[data-qa="scope"]').nth(1)).toContainText('Supervisor: Approve')
      await context.close()
    })

    it('third-party records with early advice open: the prosecutor reviews before she is asked', async () => {
      const detail = await newCase([
        [
          'investigator',
          'request_early_advice',
          { summary: 's', linesCompleted: 'l', linesOngoing: 'o', questions: 'q' },
        ],
      ])
      const me = complainantOf(detail)
      let { context, page } = await openDigital(js, INVESTIGATOR, detail.id)
      await page.locator('[data-qa="propose-request"]').click()
      await pick(page, 'personId', me)
      await pick(page, 'material', 'counselling')
      await page.locator('[data-qa="holder"]').fill('The counselling service')
      await page.locator('[data-qa="lineOfEnquiry"]').fill('Her first account was to her counsellor.')
      await tick(page, 'alternatives', ['none_available'])
      await page.locator('[data-qa="whyNotEnough"]').fill('Only the service holds it.')
      await page.locator('[data-qa="necessity"]').fill('The first session only.')
      await journeys.fillDate(page, 'dateFrom', '2026-01-10')
      await journeys.fillDate(page, 'dateTo', '2026-01-17')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="success"]')).toContainText('Request proposed: counselling or therapy notes')
      await context.close()
      ;({ context, page } = await openDigital(js, SUPERVISOR, detail.id))
      await page.locator('[data-qa="action-decide_material_request"]').click()
      await pick(page, 'decision', 'approve')
      await page.locator('[data-qa="reasons"]').fill('Narrow and relevant.')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('.govuk-error-summary')).toContainText('approve it for the prosecutor’s review first')
      await expectAccessible(page, js)
      await pick(page, 'decision', 'approve_for_review')
      await page.locator('[data-qa="submit-event"]').click()
      await see(page.locator('[data-qa="request-state"]')).toHaveText('Waiting for the prosecutor’s review')
      await context.close()
      ;({ context, page } = await openDigital(js, PROSECUTOR, detail.id))
      await act(page, js, 1, 'review_material_request', async () => {
        await pick(page, 'view', 'proceed')
        await page.locator('[data-qa="advice"]').fill('The first session only.')
      })
      await context.close()
      const w = env.world
      await applySteps(w, detail.id, (await w.services.cases.get(await w.as('investigator'), detail.id)).version, [
        ['investigator', 'give_material_notice', { ...REQUEST_NOTICE, told: REQUEST_NOTICE.told.slice(0, 5) }],
        ['investigator', 'record_material_answer', REQUEST_AGREED],
      ])
      ;({ context, page } = await openDigital(js, INVESTIGATOR, detail.id))
      await act(page, js, 1, 'record_material_request_sent', async () => {
        await journeys.fillDate(page, 'sentOn', '2026-02-02')
      })
      await act(page, js, 1, 'record_holder_response', async () => {
        await pick(page, 'response', 'received')
        await journeys.fillDate(page, 'respondedOn', '2026-02-09')
        await pick(page, 'outsideScope', 'none')
      })
      await see(page.locator('[data-qa="request-told"]')).toContainText('The police have the records they asked for')
      await context.close()
    })
  })
}
