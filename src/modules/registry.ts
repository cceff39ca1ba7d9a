import { createRegistry } from '../core/registry'
import { MODULES } from '.'

/** The registry of the modules in the manifest, and its parts under the names the rest of the code uses. */
export const registry = createRegistry(MODULES)

export const EVENT_DEFINITIONS = registry.events
export const eventDefinition = registry.eventDefinition
export const eventTitle = registry.eventTitle
export const availableEvents = registry.availableEvents
export const SYSTEM_EVENTS = registry.systemEvents
export const CLOCK_RULES = registry.clockRules
export const clockRule = registry.clockRule
export const deriveClocks = registry.deriveClocks
export const COMPLAINANT_CLOCK_IDS = registry.complainantClockIds
export const TASK_KINDS = registry.taskKinds
export const TASK_KIND_IDS = registry.taskKindIds
export const DECISION_TASK_KINDS = registry.decisionTaskKinds
export const taskDue = registry.taskDue
