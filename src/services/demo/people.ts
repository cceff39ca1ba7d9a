import { todayIso } from '../../core/fields'
import { ROLE_NAMES, type Role } from '../../core/roles'

/** Two forces in two CPS areas, with their witness care units and ISVA services; 16 cases each, one per state. */
export const DEMO_SIDES = [
  {
    key: 'avon',
    force: 'avon-and-somerset',
    area: 'cps-south-west',
    wcu: 'wcu-avon-and-somerset',
    isva: 'isva-south-west',
  },
  {
    key: 'thames',
    force: 'thames-valley',
    area: 'cps-thames-and-chiltern',
    wcu: 'wcu-thames-valley',
    isva: 'isva-thames-valley',
  },
] as const

export const ROLE_HOME: Record<Role, 'force' | 'area' | 'wcu' | 'isva' | 'service'> = {
  investigator: 'force',
  police_supervisor: 'force',
  police_inspector: 'force',
  prosecutor: 'area',
  cps_unit_head: 'area',
  witness_care: 'wcu',
  isva: 'isva',
  scrutiny_panel: 'area',
  analyst: 'area',
  admin: 'service',
}

export const demoEmail = (role: Role, side: string) => `${role.replace(/_/g, '-')}.${side}@casebridge.example`

export function demoUsers(): { email: string; name: string; role: Role; side: string; org: string }[] {
  return DEMO_SIDES.flatMap((side) => {
    const place = side.key === 'avon' ? 'Avon' : 'Thames'
    const users = (Object.keys(ROLE_HOME) as Role[]).map((role) => {
      const home = ROLE_HOME[role]
      const org =
        home === 'force'
          ? side.force
          : home === 'area'
            ? side.area
            : home === 'wcu'
              ? side.wcu
              : home === 'isva'
                ? side.isva
                : 'casebridge-service'
      const name = `${ROLE_NAMES[role]} (${place}) demo`
      return { email: demoEmail(role, side.key), name, role, side: side.key, org }
    })
    // A second supervisor, so one can propose an outcome and another sign it off.
    users.push({
      email: `police-supervisor-2.${side.key}@casebridge.example`,
      name: `Second police supervisor (${place}) demo`,
      role: 'police_supervisor',
      side: side.key,
      org: side.force,
    })
    return users
  })
}

export function daysAgo(days: number): string {
  const date = new Date(`${todayIso()}T12:00:00Z`)
  date.setUTCDate(date.getUTCDate() - days)
  return date.toISOString().slice(0, 10)
}
