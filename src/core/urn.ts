/**
 * The joint police-CPS unique reference number: the force's two-character URN code, the unit, a five-digit
 * serial and the two-digit year, for example 52RS0001226. Force URN codes are reference data, editable by an
 * administrator (they are not verified against the official list; see docs/decisions).
 */
export function formatUrn(parts: { forceUrnCode: string; unit: string; serial: number; year: number }): string {
  if (!/^[0-9A-Z]{2}$/.test(parts.forceUrnCode)) throw new Error('A force URN code is two letters or digits')
  if (!/^[0-9A-Z]{2}$/.test(parts.unit)) throw new Error('A URN unit is two letters or digits')
  if (!Number.isInteger(parts.serial) || parts.serial < 1 || parts.serial > 99999)
    throw new Error('A URN serial runs from 1 to 99999')
  const year2 = String(parts.year % 100).padStart(2, '0')
  return `${parts.forceUrnCode}${parts.unit}${String(parts.serial).padStart(5, '0')}${year2}`
}

export const URN_PATTERN = /^[0-9A-Z]{2}[0-9A-Z]{2}\d{5}\d{2}$/
