import { DIGITAL_EVENTS } from './events'
import { applyDigitalEffects } from '../../services/digital-record'
import type { TableWrite } from '../module'

/** What each digital evidence event writes to the requests, scopes and device spells (memory or database). */
export const DIGITAL_WRITES: Readonly<Record<string, TableWrite>> = Object.fromEntries(
  DIGITAL_EVENTS.map((d): [string, TableWrite] => [
    d.type,
    async (store, caseId, data, event) => {
      await applyDigitalEffects(store, d.type, caseId, data, event)
    },
  ]),
)
