import type { CaseModule } from '../module'
import { PRE_CHARGE_WRITES } from './record'
import { ACTION_PLAN_EVENTS } from './action-plan-events'
import { CHARGING_EVENTS } from './charging-events'
import { PRE_CHARGE_CLOCK_RULES, PRE_CHARGE_SYSTEM_EVENTS, PRE_CHARGE_TASK_KINDS } from './rules'

/** Early advice, the charging referral and decision, action plans and their escalation. */
export const preCharge: CaseModule = {
  name: 'pre-charge',
  tableWrites: PRE_CHARGE_WRITES,
  events: [...ACTION_PLAN_EVENTS, ...CHARGING_EVENTS],
  clockRules: PRE_CHARGE_CLOCK_RULES,
  taskKinds: PRE_CHARGE_TASK_KINDS,
  systemEvents: PRE_CHARGE_SYSTEM_EVENTS,
  demo: async () => (await import('./demo')).preChargeChapter,
}
