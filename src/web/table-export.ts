import * as zlib from 'node:zlib'

// Table downloads as CSV and as an OpenDocument Spreadsheet, with no dependencies. The ODS zip is written here
// (stored mimetype first, deflate for the rest, fixed DOS date) so the same table always gives the same bytes.

export interface ExportColumn {
  key: string
  label: string
  numeric?: boolean
}
export interface ExportTable {
  title: string
  columns: ExportColumn[]
  rows: Record<string, string | number | null>[]
  notes?: string[]
}

type Cell = string | number | null | undefined

const DECIMAL = /^-?\d+(\.\d+)?$/
// A number (finite) or, in a numeric column, a string that is a plain decimal; anything else is text or empty.
function numberOf(value: Cell, column: ExportColumn): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (column.numeric && typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim())
  return null
}
const isBlank = (value: Cell): boolean => value === null || value === undefined || typeof value === 'number'

// CSV (RFC 4180) ---------------------------------------------------------------------------------------------------

// Text that a spreadsheet would read as a formula gets a leading apostrophe (OWASP "CSV injection").
const neutralise = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text)
const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text)

function csvCell(value: Cell, column: ExportColumn): string {
  const n = numberOf(value, column)
  if (n !== null) return String(n)
  return isBlank(value) ? '' : csvField(neutralise(String(value)))
}

export function toCsv(table: ExportTable): string {
  const lines = [table.columns.map((c) => csvField(neutralise(c.label))).join(',')]
  for (const row of table.rows) lines.push(table.columns.map((c) => csvCell(row[c.key], c)).join(','))
  return `\uFEFF${lines.map((line) => `${line}\r\n`).join('')}`
}

// XML ----------------------------------------------------------------------------------------------------------------

// Characters outside the XML 1.0 Char production (control characters, lone surrogates, U+FFFE/U+FFFF) are dropped.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
export const escapeXml = (text: string): string =>
  text.replace(INVALID_XML, '').replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch] ?? '')

// ODF collapses white space in text:p, so tabs, leading spaces and runs of spaces are written as elements, and each
// line is its own paragraph.
const spaces = (n: number): string => (n === 1 ? '<text:s/>' : `<text:s text:c="${n}"/>`)
const paragraphs = (text: string): string =>
  text
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const body = escapeXml(line)
        .replace(/\t/g, '<text:tab/>')
        .replace(/^ +| {2,}/g, (run, at: number) => (at === 0 ? spaces(run.length) : ` ${spaces(run.length - 1)}`))
      return `<text:p>${body}</text:p>`
    })
    .join('')

const textCell = (text: string, style = ''): string =>
  `<table:table-cell${style} office:value-type="string">${paragraphs(text)}</table:table-cell>`
function odsCell(value: Cell, column: ExportColumn): string {
  const n = numberOf(value, column)
  if (n !== null)
    return `<table:table-cell office:value-type="float" office:value="${n}"><text:p>${n}</text:p></table:table-cell>`
  return isBlank(value) ? '<table:table-cell/>' : textCell(String(value))
}
const odsRow = (cells: string[]): string =>
  `<table:table-row>${cells.length > 0 ? cells.join('') : '<table:table-cell/>'}</table:table-row>`

// Sheet names: no []*?:/\ or control characters, no leading/trailing apostrophe, at most 31 characters.
export function sheetName(title: string): string {
  const cleaned = title
    .replace(INVALID_XML, '')
    .replace(/[[\]*?:/\\\s]+/g, ' ')
    .trim()
    .replace(/^'+|'+$/g, '')
  const name = Array.from(cleaned).slice(0, 31).join('').trim()
  return name === '' ? 'Sheet1' : name
}

const NS = {
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  style: 'urn:oasis:names:tc:opendocument:xmlns:style:1.0',
  text: 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
  table: 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
  fo: 'urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0',
  meta: 'urn:oasis:names:tc:opendocument:xmlns:meta:1.0',
  dc: 'http://purl.org/dc/elements/1.1/',
  manifest: 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0',
}
const xmlns = (...names: (keyof typeof NS)[]): string => names.map((n) => ` xmlns:${n}="${NS[n]}"`).join('')
const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n'
const MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet'

function contentXml(table: ExportTable): string {
  const rows = [odsRow(table.columns.map((c) => textCell(c.label, ' table:style-name="ce1"')))]
  for (const row of table.rows) rows.push(odsRow(table.columns.map((c) => odsCell(row[c.key], c))))
  if (table.notes && table.notes.length > 0)
    rows.push(odsRow([]), ...table.notes.map((note) => odsRow([textCell(note)])))
  return (
    `${PROLOG}<office:document-content${xmlns('office', 'style', 'text', 'table', 'fo')} office:version="1.2">` +
    '<office:automatic-styles><style:style style:name="ce1" style:family="table-cell">' +
    '<style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>' +
    `<office:body><office:spreadsheet><table:table table:name="${escapeXml(sheetName(table.title))}">` +
    `<table:table-column table:number-columns-repeated="${Math.max(1, table.columns.length)}"/>` +
    `${rows.join('')}</table:table></office:spreadsheet></office:body></office:document-content>`
  )
}

const STYLES_XML = `${PROLOG}<office:document-styles${xmlns('office', 'style')} office:version="1.2"><office:styles/></office:document-styles>`
const metaXml = (title: string): string =>
  `${PROLOG}<office:document-meta${xmlns('office', 'meta', 'dc')} office:version="1.2"><office:meta>` +
  `<meta:generator>Casebridge</meta:generator><dc:title>${escapeXml(title)}</dc:title></office:meta></office:document-meta>`
const fileEntry = (path: string, type: string, version = ''): string =>
  `<manifest:file-entry manifest:full-path="${path}"${version} manifest:media-type="${type}"/>`
const MANIFEST_XML =
  `${PROLOG}<manifest:manifest${xmlns('manifest')} manifest:version="1.2">` +
  fileEntry('/', MIMETYPE, ' manifest:version="1.2"') +
  ['content.xml', 'styles.xml', 'meta.xml'].map((path) => fileEntry(path, 'text/xml')).join('') +
  '</manifest:manifest>'

// ZIP ----------------------------------------------------------------------------------------------------------------

let crcTable: Uint32Array | undefined
export function tableCrc32(data: Uint8Array): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    for (let k = 0; k < 8; k++) n = n & 1 ? 0xedb88320 ^ (n >>> 1) : n >>> 1
    return n >>> 0
  })
  let crc = 0xffffffff
  for (const byte of data) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
// zlib.crc32 arrived in Node 20.15/22.2; older runtimes (and older @types/node) do not have it.
const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32
const crc32 = (data: Uint8Array): number =>
  typeof nativeCrc32 === 'function' ? nativeCrc32(data) >>> 0 : tableCrc32(data)

const DOS_DATE = (0 << 9) | (1 << 5) | 1 // 1980-01-01, time 00:00:00

function zip(entries: { name: string; data: Buffer; store?: boolean }[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const { name, data, store } of entries) {
    const nameBytes = Buffer.from(name, 'utf8')
    const body = store ? data : zlib.deflateRawSync(data, { level: 9 })
    // The 26 bytes the local header and the central directory record share: version needed .. extra field length.
    const shared = Buffer.alloc(26)
    shared.writeUInt16LE(20, 0)
    shared.writeUInt16LE(0, 2) // flags: sizes known up front, no data descriptor
    shared.writeUInt16LE(store ? 0 : 8, 4)
    shared.writeUInt16LE(0, 6)
    shared.writeUInt16LE(DOS_DATE, 8)
    shared.writeUInt32LE(crc32(data), 10)
    shared.writeUInt32LE(body.length, 14)
    shared.writeUInt32LE(data.length, 18)
    shared.writeUInt16LE(nameBytes.length, 22)
    shared.writeUInt16LE(0, 24)
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), shared, nameBytes, body])
    const tail = Buffer.alloc(14) // comment length, disk, internal and external attributes, local header offset
    tail.writeUInt32LE(offset, 10)
    centrals.push(Buffer.concat([Buffer.from([0x50, 0x4b, 0x01, 0x02, 20, 0]), shared, tail, nameBytes]))
    locals.push(local)
    offset += local.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

export function toOds(table: ExportTable): Buffer {
  const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8')
  return zip([
    { name: 'mimetype', data: utf8(MIMETYPE), store: true },
    { name: 'META-INF/manifest.xml', data: utf8(MANIFEST_XML) },
    { name: 'content.xml', data: utf8(contentXml(table)) },
    { name: 'styles.xml', data: utf8(STYLES_XML) },
    { name: 'meta.xml', data: utf8(metaXml(table.title)) },
  ])
}
