import { z } from 'zod'
import type { WorkingDayCalendar } from '../../core/calendar'
import { textSchema } from '../../core/fields'
import { LETTER_TEMPLATES, type LetterTemplateId } from './letters'
import { VRR_EVENTS } from './vrr'

export const VRR_TYPES = VRR_EVENTS.map((d) => d.type)

export const optionalText = (name: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    textSchema({ label: name, name }, max).optional(),
  )

export const safeContactSchema = z
  .strictObject(
    {
      phone: z.preprocess(
        (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
        z
          .string({ error: 'Enter the phone number as text' })
          .trim()
          .regex(/^\+?[0-9 ()-]{7,20}$/, { error: 'Enter a phone number, like 01632 960 001 or +44 7700 900 982' })
          .optional(),
      ),
      email: z.preprocess(
        (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
        z
          .string({ error: 'Enter the email address as text' })
          .trim()
          .max(254, { error: 'The email address must be 254 characters or fewer' })
          .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.com' }))
          .optional(),
      ),
      address: optionalText('the address', 500),
      notes: optionalText('the notes', 1000),
    },
    { error: 'Send an object with the fields of this form' },
  )
  .refine((d) => d.phone !== undefined || d.email !== undefined || d.address !== undefined, {
    error: 'Enter at least one way to reach them safely: a phone number, an email address or an address',
    path: ['phone'],
  })

export type SafeContactInput = z.infer<typeof safeContactSchema>

export type Data = Record<string, unknown>

/** A working-day due date, or null past the last year of known bank holidays (never a guess). */
export function workingDaysAfter(calendar: WorkingDayCalendar, from: string, days: number): string | null {
  try {
    return calendar.addWorkingDays(from, days).due
  } catch {
    return null
  }
}

/**
 * The victim care module's reads: for each complainant the caller may see, their Victims' Code entitlements, contact
 * preferences, needs, support and ISVA, special measures, withdrawal of support, contact log and ISVA notes.
 * Everything comes from the case's timeline, so nothing here can disagree with it.
 */
export const letterInputSchema = z.strictObject(
  {
    complainantId: z.uuid({ error: 'Select the complainant' }),
    template: z.enum(LETTER_TEMPLATES.map((t) => t.id) as [LetterTemplateId, ...LetterTemplateId[]], {
      error: `Select a letter: ${LETTER_TEMPLATES.map((t) => t.id).join(', ')}`,
    }),
    channel: z.enum(['email', 'post'], { error: 'Select how to send it: email or post' }),
    subject: textSchema({ label: 'Subject', name: 'the subject' }, 200),
    body: textSchema({ label: 'Letter', name: 'the letter' }, 10000),
    expectedVersion: z
      .number({ error: 'Enter expectedVersion as a whole number' })
      .int({ error: 'Enter expectedVersion as a whole number' })
      .min(1, { error: 'Enter expectedVersion as a whole number' }),
    idempotencyKey: z.string().max(200, { error: 'idempotencyKey must be 200 characters or fewer' }).optional(),
  },
  { error: 'Send an object with the fields of this form' },
)
