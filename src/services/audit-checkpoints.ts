import fs from 'node:fs/promises'
import { z } from 'zod'
import type { Config } from '../config'
import type { Repositories } from '../data'
import type { AuditCheckpoint } from '../domain/audit'
import { invalid } from './errors'

const exportedCheckpoint = z.object({
  id: z.number().int().nullable().default(null),
  at: z.string(),
  rows: z.number().int().nonnegative(),
  lastId: z.number().int().nonnegative(),
  headHash: z.string(),
  writtenBy: z.string(),
  keyId: z.string(),
  signature: z.string(),
})

/** One checkpoint as one line of JSON: what `audit checkpoints` prints, the log carries and the file collects. */
export const checkpointLine = (checkpoint: AuditCheckpoint) => JSON.stringify(checkpoint)

/** Checkpoints from an export or a saved server log (JSON lines); a line that is neither is named. */
export function parseCheckpoints(text: string, source: string): AuditCheckpoint[] {
  const checkpoints: AuditCheckpoint[] = []
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw invalid({ checkpoints: `${source} line ${index + 1} is not JSON` }, 'The checkpoint file cannot be read')
    }
    // A pino line of the server's log holds the checkpoint under auditCheckpoint: take it from there too, and pass
    // over the log's other lines, so that a saved log serves as an export.
    const logLine = value as { auditCheckpoint?: unknown; level?: unknown; msg?: unknown }
    if (logLine.auditCheckpoint === undefined && typeof logLine.level === 'number' && typeof logLine.msg === 'string')
      return
    const candidate = logLine.auditCheckpoint ?? value
    const parsed = exportedCheckpoint.safeParse(candidate)
    if (!parsed.success)
      throw invalid(
        { checkpoints: `${source} line ${index + 1} is not a checkpoint` },
        'The checkpoint file cannot be read',
      )
    checkpoints.push(parsed.data)
  })
  return checkpoints
}

/**
 * Signed checkpoints of the audit chain's head (decision 0029): written by the server's hourly job, by
 * `casebridge audit checkpoint` and after a verification that finds nothing wrong; kept in audit_checkpoints and,
 * when AUDIT_CHECKPOINT_FILE is set, appended to that file. The server also logs each one.
 */
export function auditCheckpointsService(repos: Repositories, config: Pick<Config, 'audit'>) {
  const file = config.audit.checkpointFile
  return {
    async write(writtenBy: string): Promise<AuditCheckpoint> {
      const checkpoint = await repos.audit.checkpoint(writtenBy)
      if (file) await fs.appendFile(file, checkpointLine(checkpoint) + '\n', { mode: 0o600 })
      return checkpoint
    },

    list: () => repos.audit.checkpoints(),

    /**
     * Verifies the chain against the stored checkpoints, those in AUDIT_CHECKPOINT_FILE (when it exists) and those
     * in the exported files given, so that truncating both tables is caught too.
     */
    async verify(exportFiles: readonly string[] = []) {
      const external: AuditCheckpoint[] = []
      const sources = [...exportFiles]
      if (file && !exportFiles.includes(file)) {
        const exists = await fs.access(file).then(
          () => true,
          () => false,
        )
        if (exists) sources.push(file)
      }
      for (const source of sources) {
        const text = await fs.readFile(source, 'utf8').catch(() => {
          throw invalid({ checkpoints: `${source} cannot be read` }, 'The checkpoint file cannot be read')
        })
        external.push(...parseCheckpoints(text, source))
      }
      return repos.audit.verify({ checkpoints: external })
    },
  }
}

export type AuditCheckpointsService = ReturnType<typeof auditCheckpointsService>
