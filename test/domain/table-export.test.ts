import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { type ExportTable, sheetName, tableCrc32, toCsv, toOds } from '../../src/web/table-export'

const MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet'
const INJECTION = `<script>alert(1)</script>&"'`

const TABLE: ExportTable = {
  title: 'Open cases: [Area 5] / weekly',
  columns: [
    { key: 'ref', label: 'Reference' },
    { key: 'name', label: 'Officer, lead' },
    { key: 'days', label: 'Days open', numeric: true },
    { key: 'note', label: 'Note' },
  ],
  rows: [
    { ref: 'RB-1', name: 'Smith, J', days: 12, note: 'said "no"' },
    { ref: 'RB-2', name: null, days: -3.5, note: '=HYPERLINK("http://x")' },
    { ref: 'RB-3', name: INJECTION, days: null, note: 'two\nlines' },
    { ref: 'RB-4', name: 'tab\there  spaced', days: '42', note: null },
  ],
  notes: ['Figures as at 26 November 2026', 'Excludes <sealed> cases & "restricted" ones'],
}

// An independent CRC-32 (bitwise, no table) so the test does not trust the module's own.
function crc(data: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of data) {
    c ^= byte
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1
  }
  return (c ^ 0xffffffff) >>> 0
}

interface ZipEntry {
  name: string
  method: number
  localOffset: number
  localExtra: number
  data: Buffer
}

// A small zip reader: end record -> central directory -> local headers, inflating and checking every CRC and size.
function readZip(file: Buffer): ZipEntry[] {
  const end = file.length - 22
  expect(file.readUInt32LE(end)).toBe(0x06054b50)
  const count = file.readUInt16LE(end + 10)
  expect(file.readUInt16LE(end + 8)).toBe(count)
  const size = file.readUInt32LE(end + 12)
  const start = file.readUInt32LE(end + 16)
  expect(start + size).toBe(end)
  const entries: ZipEntry[] = []
  let p = start
  for (let i = 0; i < count; i++) {
    expect(file.readUInt32LE(p)).toBe(0x02014b50)
    const method = file.readUInt16LE(p + 10)
    const storedCrc = file.readUInt32LE(p + 16)
    const compressed = file.readUInt32LE(p + 20)
    const uncompressed = file.readUInt32LE(p + 24)
    const nameLength = file.readUInt16LE(p + 28)
    const extraLength = file.readUInt16LE(p + 30)
    const commentLength = file.readUInt16LE(p + 32)
    const localOffset = file.readUInt32LE(p + 42)
    const name = file.toString('utf8', p + 46, p + 46 + nameLength)
    expect(file.readUInt32LE(localOffset)).toBe(0x04034b50)
    expect(file.readUInt16LE(localOffset + 8)).toBe(method)
    expect(file.readUInt32LE(localOffset + 14)).toBe(storedCrc)
    expect(file.readUInt32LE(localOffset + 18)).toBe(compressed)
    expect(file.readUInt32LE(localOffset + 22)).toBe(uncompressed)
    const localName = file.readUInt16LE(localOffset + 26)
    const localExtra = file.readUInt16LE(localOffset + 28)
    expect(file.toString('utf8', localOffset + 30, localOffset + 30 + localName)).toBe(name)
    const dataStart = localOffset + 30 + localName + localExtra
    const raw = file.subarray(dataStart, dataStart + compressed)
    expect([0, 8]).toContain(method)
    const data = method === 0 ? raw : inflateRawSync(raw)
    expect(data.length).toBe(uncompressed)
    expect(crc(data)).toBe(storedCrc)
    entries.push({ name, method, localOffset, localExtra, data })
    p += 46 + nameLength + extraLength + commentLength
  }
  expect(p).toBe(end)
  return entries
}

const entry = (entries: ZipEntry[], name: string): string => {
  const found = entries.find((e) => e.name === name)
  expect(found, name).toBeDefined()
  return found?.data.toString('utf8') ?? ''
}

// Tag balance: every start tag closed in order, nothing left open, no bare & or <.
function expectWellFormed(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '')
  const stack: string[] = []
  let roots = 0
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, close, tag, , selfClose] = m
    if (close) expect(stack.pop()).toBe(tag)
    else if (!selfClose) stack.push(tag ?? '')
    if (stack.length === 0) roots++
  }
  expect(stack).toEqual([])
  expect(roots).toBe(1)
  const text = body.replace(/<[^<>]*>/g, '')
  expect(text).not.toMatch(/[<>]/)
  expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/)
}

interface ReadCell {
  type: string | null
  value: string | null
  text: string
}
const decodeXml = (s: string): string =>
  s.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '',
  )
const paragraphText = (p: string): string =>
  decodeXml(
    p
      .replace(/<text:s text:c="(\d+)"\/>/g, (_, n: string) => ' '.repeat(Number(n)))
      .replace(/<text:s\/>/g, ' ')
      .replace(/<text:tab\/>/g, '\t'),
  )

function readRows(content: string): ReadCell[][] {
  const rows = [...content.matchAll(/<table:table-row>(.*?)<\/table:table-row>/g)].map((m) => m[1] ?? '')
  return rows.map((row) =>
    [...row.matchAll(/<table:table-cell([^>]*?)(?:\/>|>(.*?)<\/table:table-cell>)/g)].map((m) => {
      const attrs = m[1] ?? ''
      const paragraphs = [...(m[2] ?? '').matchAll(/<text:p>(.*?)<\/text:p>/g)].map((p) => paragraphText(p[1] ?? ''))
      return {
        type: /office:value-type="([^"]*)"/.exec(attrs)?.[1] ?? null,
        value: /office:value="([^"]*)"/.exec(attrs)?.[1] ?? null,
        text: paragraphs.join('\n'),
      }
    }),
  )
}

describe('toCsv', () => {
  const csv = toCsv(TABLE)

  it('starts with a UTF-8 BOM and ends every record with CRLF', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.replace(/\r\n/g, '').includes('\n')).toBe(true) // the only bare LF is inside a quoted field
  })

  it('quotes and escapes per RFC 4180, writes labels as the header and nulls as empty fields', () => {
    expect(csv).toBe(
      '\uFEFF' +
        'Reference,"Officer, lead",Days open,Note\r\n' +
        'RB-1,"Smith, J",12,"said ""no"""\r\n' +
        `RB-2,,-3.5,"'=HYPERLINK(""http://x"")"\r\n` +
        `RB-3,"<script>alert(1)</script>&""'",,"two\nlines"\r\n` +
        'RB-4,tab\there  spaced,42,\r\n',
    )
  })

  it('neutralises formula injection in text cells but leaves numbers alone', () => {
    const t: ExportTable = {
      title: 't',
      columns: [
        { key: 'a', label: '=Total' },
        { key: 'n', label: 'n', numeric: true },
      ],
      rows: [
        { a: '=1+1', n: -5 },
        { a: '+44 20', n: '-7' },
        { a: '-2', n: null },
        { a: '@SUM(A1)', n: 0 },
        { a: '\tcmd', n: 1e21 },
        { a: '\rcmd', n: 3 },
        { a: '=1,2', n: 4 },
        { a: 'a=b', n: 5 },
      ],
    }
    const lines = toCsv(t).slice(1).split('\r\n')
    expect(lines).toEqual([
      "'=Total,n",
      "'=1+1,-5",
      "'+44 20,-7",
      "'-2,",
      "'@SUM(A1),0",
      "'\tcmd,1e+21",
      `"'\rcmd",3`,
      `"'=1,2",4`,
      'a=b,5',
      '',
    ])
  })

  it('writes missing keys and non-finite numbers as empty fields', () => {
    const t: ExportTable = {
      title: 't',
      columns: [
        { key: 'a', label: 'A' },
        { key: 'b', label: 'B' },
      ],
      rows: [{ b: NaN }],
    }
    expect(toCsv(t)).toBe('\uFEFFA,B\r\n,\r\n')
  })
})

describe('toOds', () => {
  const ods = toOds(TABLE)
  const entries = (): ZipEntry[] => readZip(ods) // read afresh in each test, so a broken zip fails the tests

  it('puts the mimetype first, stored, with no extra field, readable at byte 30', () => {
    expect(entries().map((e) => e.name)).toEqual([
      'mimetype',
      'META-INF/manifest.xml',
      'content.xml',
      'styles.xml',
      'meta.xml',
    ])
    const [mimetype] = entries()
    expect(mimetype?.localOffset).toBe(0)
    expect(mimetype?.method).toBe(0)
    expect(mimetype?.localExtra).toBe(0)
    expect(ods.readUInt16LE(6)).toBe(0) // no flags, so no data descriptor
    expect(ods.readUInt16LE(12)).toBe(0x21) // DOS date 1980-01-01
    expect(ods.toString('ascii', 30, 38)).toBe('mimetype')
    expect(ods.toString('ascii', 38, 38 + MIMETYPE.length)).toBe(MIMETYPE)
    expect(
      entries()
        .slice(1)
        .every((e) => e.method === 8),
    ).toBe(true)
  })

  it('lists the package and every XML part in the manifest', () => {
    const manifest = entry(entries(), 'META-INF/manifest.xml')
    expectWellFormed(manifest)
    expect(manifest).toContain(`manifest:full-path="/" manifest:version="1.2" manifest:media-type="${MIMETYPE}"`)
    for (const part of ['content.xml', 'styles.xml', 'meta.xml'])
      expect(manifest).toContain(`manifest:full-path="${part}" manifest:media-type="text/xml"`)
  })

  it('writes well-formed XML parts', () => {
    for (const part of ['content.xml', 'styles.xml', 'meta.xml', 'META-INF/manifest.xml'])
      expectWellFormed(entry(entries(), part))
    expect(entry(entries(), 'meta.xml')).toContain('<dc:title>Open cases: [Area 5] / weekly</dc:title>')
  })

  it('writes one sheet with a header row, typed data rows, then the notes after a blank row', () => {
    const content = entry(entries(), 'content.xml')
    expect(content.match(/<table:table /g)).toHaveLength(1)
    expect(content).toContain('<table:table table:name="Open cases Area 5 weekly">')
    expect(content).toContain('<table:table-column table:number-columns-repeated="4"/>')
    const rows = readRows(content)
    expect(rows).toHaveLength(1 + TABLE.rows.length + 1 + 2)
    expect(rows.slice(0, 5).every((r) => r.length === 4)).toBe(true)
    expect(rows[0]?.map((c) => [c.type, c.text])).toEqual(TABLE.columns.map((c) => ['string', c.label]))
    TABLE.rows.forEach((row, i) => {
      const cells = rows[i + 1] ?? []
      TABLE.columns.forEach((column, j) => {
        const cell = cells[j]
        const value = row[column.key]
        if (value === null || value === undefined) expect(cell).toEqual({ type: null, value: null, text: '' })
        else if (typeof value === 'number' || column.numeric) {
          expect(cell?.type).toBe('float')
          expect(Number(cell?.value)).toBe(Number(value))
          expect(cell?.text).toBe(String(value))
        } else expect(cell).toEqual({ type: 'string', value: null, text: value })
      })
    })
    expect(rows[5]).toEqual([{ type: null, value: null, text: '' }])
    expect(rows.slice(6).map((r) => r.map((c) => c.text))).toEqual(TABLE.notes?.map((n) => [n]))
  })

  it('escapes markup so injected text round-trips as text', () => {
    const content = entry(entries(), 'content.xml')
    expect(content).not.toContain('<script>')
    expect(content).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&apos;')
    expect(content).toContain('Excludes &lt;sealed&gt; cases &amp; &quot;restricted&quot; ones')
    expect(readRows(content)[3]?.[1]?.text).toBe(INJECTION)
    expect(content).toContain('<text:p>two</text:p><text:p>lines</text:p>')
    expect(content).toContain('<text:p>tab<text:tab/>here <text:s/>spaced</text:p>')
  })

  it('strips characters XML 1.0 does not allow and sanitises the sheet name', () => {
    const t: ExportTable = {
      title: `'${'x'.repeat(40)}'`,
      columns: [{ key: 'a', label: 'A\u0001' }],
      rows: [{ a: 'bad\u0000\u0008\uFFFF\uD800 chars \u{1F600}' }],
    }
    const content = entry(readZip(toOds(t)), 'content.xml')
    expectWellFormed(content)
    expect(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(content)).toBe(false)
    expect(readRows(content)[1]?.[0]?.text).toBe('bad chars \u{1F600}')
    expect(readRows(content)[0]?.[0]?.text).toBe('A')
    expect(content).toContain(`table:name="${'x'.repeat(31)}"`)
    expect(sheetName('a/b\\c?d*e:f[g]h')).toBe('a b c d e f g h')
    expect(sheetName('  \u0001 ')).toBe('Sheet1')
    expect(Array.from(sheetName('\u{1F600}'.repeat(40)))).toHaveLength(31)
  })

  it('gives identical bytes for the same table', () => {
    expect(toOds(TABLE).equals(ods)).toBe(true)
    expect(toOds(structuredClone(TABLE)).equals(ods)).toBe(true)
    expect(toOds({ ...TABLE, title: 'Other' }).equals(ods)).toBe(false)
  })

  it('handles an empty table', () => {
    const content = entry(readZip(toOds({ title: '', columns: [], rows: [] })), 'content.xml')
    expectWellFormed(content)
    expect(readRows(content)).toEqual([[{ type: null, value: null, text: '' }]])
  })

  it('computes the same CRC-32 with the table fallback as zlib', () => {
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff))
    expect(tableCrc32(bytes)).toBe(crc(bytes))
    expect(tableCrc32(new Uint8Array())).toBe(0)
  })

  const hasPython = spawnSync('python3', ['--version']).status === 0
  // Skipped only on a laptop without Python; CI installs it (.ci/run), so there it always runs.
  it.skipIf(!hasPython && !process.env.CI)(
    'passes Python zipfile.testzip and parses every XML part with a real XML parser',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'casebridge-ods-'))
      try {
        const file = join(dir, 'table.ods')
        writeFileSync(file, ods)
        const script = [
          'import sys, zipfile, xml.dom.minidom as minidom',
          'z = zipfile.ZipFile(sys.argv[1])',
          'assert z.testzip() is None',
          'first = z.infolist()[0]',
          "assert first.filename == 'mimetype' and first.compress_type == zipfile.ZIP_STORED and first.extra == b''",
          "assert z.read('mimetype') == b'" + MIMETYPE + "'",
          "names = [n for n in z.namelist() if n.endswith('.xml')]",
          'for n in names: minidom.parseString(z.read(n))',
          "doc = minidom.parseString(z.read('content.xml'))",
          "print(len(names), len(doc.getElementsByTagName('table:table-row')), len(doc.getElementsByTagName('table:table-cell')))",
        ].join('\n')
        const result = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' })
        expect(result.stderr).toBe('')
        expect(result.status).toBe(0)
        expect(result.stdout.trim()).toBe(`4 8 ${4 * 5 + 1 + 2}`)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  )
})
