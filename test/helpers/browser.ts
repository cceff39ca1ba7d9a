import type { AddressInfo } from 'node:net'
import AxeBuilder from '@axe-core/playwright'
import type { FastifyInstance } from 'fastify'
import { type Browser, type Cookie, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { buildApp } from '../../src/web/app'
import { createWorld, TEST_PASSWORD, type TestWorld } from './database'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** Errors the pages of this file raised (uncaught exceptions, console errors); each test must end with none. */
const pageErrors: string[] = []

afterEach(() => {
  const found = pageErrors.splice(0)
  expect(found, 'errors raised in the browser').toEqual([])
})

function watchForErrors(page: Page) {
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    // A page answered with its own status (a 404 page, a form shown again with 400) is not an error of the page; a
    // stylesheet or script that failed to load is.
    const ownStatus = message.text().startsWith('Failed to load resource') && message.location().url === page.url()
    if (!ownStatus) pageErrors.push(`${page.url()}: console: ${message.text()}`)
  })
}

/** Debian's Chromium, never a downloaded browser; flags keep it off the network. Every page is watched for errors. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await startChromium()
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (...args) => {
    const context = await newContext(...args)
    context.on('page', watchForErrors)
    return context
  }
  return browser
}

function startChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  })
}

export async function startServer(world: TestWorld): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const app = await buildApp(world.services)
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` }
}

/** The pages of this file already scanned, by their shape (see `pageShape`). */
const scanned = new Set<string>()

/**
 * What makes two visits the same page for an accessibility scan: the path (ids left out), the form's fields and
 * whether it shows errors. A journey that comes back to a page it has scanned (the same GOV.UK components with other
 * rows) is not scanned again; another page, another form or the form with its errors is.
 */
const pageShape = (page: Page): Promise<string> =>
  // Evaluated in the page (the tests are compiled without the DOM's types).
  page.evaluate(`(() => {
    const distinct = (values) => [...new Set(values)].sort().join(',')
    return [
      location.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id'),
      distinct([...document.querySelectorAll('input, select, textarea')].map((e) => e.getAttribute('name'))),
      String(document.querySelector('.govuk-error-summary') !== null),
    ].join('|')
  })()`)

/**
 * Scans the page with axe for WCAG 2.2 A and AA and fails on any violation. With JavaScript on, it first checks the
 * frontend scripts started (public/init.js marks the page). axe needs JavaScript, so a page seen without it is scanned
 * as it was drawn: its HTML is served again, at its own address, to a page that may run axe but not the page's scripts.
 */
export async function expectAccessible(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled)
    await expect
      .poll(() => page.evaluate('document.documentElement.dataset.scripts'), { timeout: 10_000 })
      .toBe('started')
  const shape = `${await shapeOf(page, javaScriptEnabled)}|js:${javaScriptEnabled}`
  if (scanned.has(shape)) return
  scanned.add(shape)
  if (javaScriptEnabled) return scan(page)
  const html = await drawnHtml(page)
  const url = page.url()
  const context = await page.context().browser()!.newContext({ javaScriptEnabled: true })
  // Its blocked scripts are the point, not an error of the page.
  context.off('page', watchForErrors)
  try {
    const copy = await context.newPage()
    await copy.route(/\/assets\/(init|govuk-frontend\.min)\.js$/, (route) => route.abort())
    await copy.route(url, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    )
    await copy.goto(url)
    await scan(copy)
  } finally {
    await context.close()
  }
}

/**
 * The HTML of a page seen without JavaScript, once it has loaded. Read while a navigation is still being committed,
 * `page.content()` can give the empty document that is about to be replaced (no title, no lang), so it is read again
 * until it is the page that was drawn.
 */
async function drawnHtml(page: Page): Promise<string> {
  await page.waitForLoadState('load')
  let html = await page.content()
  await expect
    .poll(
      async () => {
        html = await page.content()
        return /<title>[^<]+<\/title>/.test(html)
      },
      { timeout: 10_000, message: `the page at ${page.url()} has loaded with a title` },
    )
    .toBe(true)
  return html
}

/** The page's shape read with JavaScript (pages without it are read from their HTML in a page that has it). */
async function shapeOf(page: Page, javaScriptEnabled: boolean): Promise<string> {
  if (javaScriptEnabled) return pageShape(page)
  const html = await drawnHtml(page)
  const path = new URL(page.url()).pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')
  const names = [...new Set([...html.matchAll(/<(?:input|select|textarea)[^>]*\sname="([^"]*)"/g)].map((m) => m[1]))]
  return [path, names.sort().join(','), String(html.includes('govuk-error-summary'))].join('|')
}

async function scan(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze()
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  )
  expect(summary, `axe violations on ${page.url()}`).toEqual([])
}

/** Sessions signed in through the form earlier in this file, by server and person, reused by later journeys. */
const sessions = new Map<string, Cookie[]>()

/** Page objects: what a person does, in the words of the page. */
export const journeys = {
  /**
   * Signs a person in: through the form the first time in a file, then with that session again (the sign-in journey
   * itself is tested on its own); a session that has ended (signed out) signs in through the form again.
   */
  async signIn(page: Page, baseUrl: string, email: string, js: boolean) {
    const known = sessions.get(`${baseUrl}|${email}`)
    if (known) {
      await page.context().addCookies(known)
      await page.goto(`${baseUrl}/cases`)
      if (!new URL(page.url()).pathname.startsWith('/sign-in')) return
      await page.context().clearCookies()
    }
    await page.goto(`${baseUrl}/sign-in`)
    await expectAccessible(page, js)
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password').fill(TEST_PASSWORD)
    await page.locator('[data-qa="sign-in"]').click()
    await page.waitForURL(/\/(cases|admin|performance)/)
    sessions.set(`${baseUrl}|${email}`, await page.context().cookies())
  },
  /** Opens an event from the case's next steps, fills it in, submits it, and waits for the success banner. */
  async submitEvent(page: Page, js: boolean, step: string, fill: () => Promise<void>) {
    await page.locator(`[data-qa="next-${step}"]`).click()
    await expectAccessible(page, js)
    await fill()
    await page.locator('[data-qa="submit-event"]').click()
    await see(page.locator('[data-qa="success"]')).toBeVisible()
  },
  async fillDate(page: Page, key: string, iso: string) {
    const [year, month, day] = iso.split('-')
    await page.locator(`[data-qa="${key}-day"]`).fill(String(Number(day)))
    await page.locator(`[data-qa="${key}-month"]`).fill(String(Number(month)))
    await page.locator(`[data-qa="${key}-year"]`).fill(year!)
  },
}

/** Waiting assertions on what a page shows (the Playwright matchers, on top of vitest's expect.poll). */
export function see(locator: Locator) {
  const texts = async () => (await locator.allInnerTexts()).map((t) => t.trim()).join('\n')
  const options = { timeout: 10_000 }
  return {
    toHaveText: (text: string) => expect.poll(texts, options).toBe(text),
    toContainText: (text: string) => expect.poll(texts, options).toContain(text),
    toHaveCount: (count: number) => expect.poll(() => locator.count(), options).toBe(count),
    toBeVisible: () => expect.poll(() => locator.first().isVisible(), options).toBe(true),
  }
}

/** A test file's world, server and browser, started before its tests and closed after them. */
export function useBrowserWorld(overrides: Record<string, string> = {}) {
  const state = {} as { world: TestWorld; app: FastifyInstance; baseUrl: string; browser: Browser }
  beforeAll(async () => {
    state.world = await createWorld(overrides)
    Object.assign(state, await startServer(state.world))
    state.browser = await launchBrowser()
  })
  afterAll(async () => {
    await state.browser?.close()
    await state.app?.close()
    await state.world?.close()
  })
  return state
}
