import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Templates never mark data safe and never build HTML by joining strings: a value passed as `html` to a GOV.UK macro
 * is a capture block (`{% set x %}…{% endset %}`), which escapes everything it interpolates. The only output marked
 * safe is a chart's SVG, made on the server by vega (which escapes every text it draws; see src/web/charts.ts).
 */
const SAFE_ALLOWED = new Set(['chart', 'c.chart'])

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? templates(full) : entry.name.endsWith('.njk') ? [full] : []
  })
}

const files = templates(path.resolve('src'))

describe('templates', () => {
  it('are all checked', () => {
    expect(files.length).toBeGreaterThan(40)
  })

  it.each(files.map((f) => [path.relative(process.cwd(), f), f]))(
    '%s marks nothing but a chart safe',
    (_name, file) => {
      const text = fs.readFileSync(file, 'utf8')
      for (const [, value] of text.matchAll(/\{\{\s*([^{}|]+?)\s*\|\s*safe\s*\}\}/g))
        expect(SAFE_ALLOWED).toContain(value)
      expect(text).not.toMatch(/markSafe|autoescape\s+false/)
    },
  )

  it.each(files.map((f) => [path.relative(process.cwd(), f), f]))(
    '%s builds no HTML by joining strings',
    (_name, file) => {
      const text = fs.readFileSync(file, 'utf8')
      // A value is a variable (a capture block) or one fixed string, never anything joined with `+`.
      const value = /\bhtml:\s*(?:[A-Za-z_][A-Za-z0-9_.]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*(.)/g
      const uses = text.match(/\bhtml:/g)?.length ?? 0
      const values = [...text.matchAll(value)]
      expect(values.length, 'every html: value is a variable or a fixed string').toBe(uses)
      for (const [whole, next] of values) expect(next, whole).not.toBe('+')
    },
  )
})

describe('an error page says each thing once', () => {
  it('drops the title from the message and advice the message already gives (the 429 page)', async () => {
    const { errorParagraphs } = await import('../../src/web/error-pages')
    expect(
      errorParagraphs(
        { title: 'Too many attempts', paragraphs: ['Wait a minute and try again.'] },
        'Too many attempts. Wait a minute and try again.',
      ),
    ).toEqual(['Wait a minute and try again.'])
    expect(
      errorParagraphs(
        { title: 'This cannot be done yet', paragraphs: ['Go back to the case to see what can be done now.'] },
        'Record the referral first',
      ),
    ).toEqual(['Record the referral first', 'Go back to the case to see what can be done now.'])
  })
})
