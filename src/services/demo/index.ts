import { randomBytes } from 'node:crypto'
import type { AuthUser, RequestContext } from '../context'
import type { Services } from '../index'
import { DEMO_SIDES, demoEmail, demoUsers } from './people'
import { demoScene } from './scene'
import { moduleDemoChapters } from '../../modules/registry'

export { DEMO_SIDES, daysAgo, demoEmail, demoUsers } from './people'

/**
 * Loads the demonstration organisations, users and cases through the real services, so every case has a
 * real timeline and audit trail. Returns the password used (generated unless given).
 */
export async function loadDemo(
  services: Services,
  password?: string,
): Promise<{ password: string; generated: boolean; cases: number }> {
  const existing = await services.accounts.byEmail(demoEmail('investigator', 'avon'))
  if (existing) throw new Error('The demonstration data is already loaded')
  const generated = !password
  const demoPassword = password ?? randomBytes(12).toString('base64url')
  const ref = services.repos.reference
  for (const side of DEMO_SIDES) {
    const label = side.key === 'avon' ? 'Avon and Somerset' : 'Thames Valley'
    await ref.insertOrganisation({
      code: side.wcu,
      name: `${label} Witness Care Unit`,
      kind: 'witness_care_unit',
      urnCode: null,
      source: 'Demonstration data',
    })
    await ref.addCoverage(side.wcu, side.force)
    await ref.insertOrganisation({
      code: side.isva,
      name: `${side.key === 'avon' ? 'South West' : 'Thames Valley'} ISVA Service`,
      kind: 'isva_service',
      urnCode: null,
      source: 'Demonstration data',
    })
  }
  const users = new Map<string, AuthUser>()
  // Password hashing dominates; argon2 runs on the libuv pool, so hash in parallel.
  const added = await Promise.all(
    demoUsers().map((u) =>
      services.accounts.addUser(null, {
        email: u.email,
        name: u.name,
        orgCode: u.org,
        roles: [u.role],
        password: demoPassword,
      }),
    ),
  )
  for (const user of added) users.set(user.email, user)
  const ctx = (email: string): RequestContext => ({
    user: users.get(email)!,
    purpose: 'Loading demonstration data',
    correlationId: 'demo',
  })

  // The demo's story, chapter by chapter (each module's own cases), told for each force and its CPS area in turn.
  const chapters = await moduleDemoChapters()
  let count = 0
  for (const side of DEMO_SIDES) {
    const scene = demoScene(services, side, ctx, () => count++)
    for (const chapter of chapters) await chapter(scene)
  }
  return { password: demoPassword, generated, cases: count }
}
