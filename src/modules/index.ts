import { advocates } from './advocates'
import { court } from './court'
import { digital } from './digital'
import { disclosure } from './disclosure'
import { investigation } from './investigation'
import { performance } from './performance'
import { preCharge } from './pre-charge'
import { victimCare } from './victim-care'

/**
 * The manifest: every capability Casebridge has, one line each. The kernel (src/core) reads events, clock rules and
 * task kinds from this list and from nowhere else; adding a module is one folder and one line here. The order is
 * the order of the "next steps" list and of every list built from the modules.
 */
export const MODULES = [
  investigation,
  preCharge,
  victimCare,
  court,
  advocates,
  digital,
  disclosure,
  performance,
] as const
