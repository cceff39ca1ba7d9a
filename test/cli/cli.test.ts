import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import packageJson from '../../package.json' with { type: 'json' }
import { SERVER_NODE_FLAGS } from '../../src/config'
import { freePort } from '../helpers/ports'

// The casebridge command as a person runs it, as separate processes on a fresh embedded database folder.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-cli-'))
const env = { ...process.env, CASEBRIDGE_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', NODE_ENV: 'test' }

function run(
  args: string[],
  input?: string,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
      env: { ...env, ...extraEnv },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.stdin.end(input ?? '')
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

beforeAll(async () => {
  const migrated = await run(['migrate'])
  expect(migrated.code, migrated.stderr).toBe(0)
})
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }))

describe('casebridge command', () => {
  it('generates synthetic cases, refuses bad arguments by name, and rebuilds the measure sums', async () => {
    const bad = await run(['generate', '--cases', '0', '--until', '2026-02-30', '--years', '99'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--cases must be a whole number')
    expect(bad.stderr).toContain('--years must be from 1 to 20')
    expect(bad.stderr).toContain('--until must be a date')
    const made = await run([
      'generate',
      '--cases',
      '25',
      '--seed',
      '4',
      '--until',
      '2026-09-30',
      '--forces',
      'kent',
      '--bulk',
    ])
    expect(made.code, made.stderr).toBe(0)
    expect(made.stdout).toMatch(/Generated 25 synthetic cases \(seed 4, 5 years to 2026-09-30\) in bulk/)
    // Off a terminal, progress comes as plain lines on standard error, ending with the whole run (issue 20).
    expect(made.stderr.trim().split('\n').at(-1)).toBe('25 of 25 cases')
    const rebuilt = await run(['measures', 'rebuild'])
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(rebuilt.stdout).toContain('Measures rebuilt from the timelines of 25 cases')
  })

  it('lists organisations by code and name', async () => {
    const result = await run(['orgs', 'list'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('avon-and-somerset\tAvon and Somerset Constabulary')
    expect(result.stdout).toContain('cps-thames-and-chiltern\t')
  })

  it('adds a user with the password from standard input, and names bad input', async () => {
    const ok = await run(
      [
        'users',
        'add',
        '--email',
        'cli.user@kent.example',
        '--name',
        'Cli User',
        '--org',
        'kent',
        '--role',
        'investigator',
        '--role',
        'police_supervisor',
        '--password-stdin',
      ],
      'a-long-cli-password\n',
    )
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain('Added cli.user@kent.example')
    const bad = await run(
      ['users', 'add', '--email', 'x', '--name', '', '--org', 'kent', '--role', 'investigator', '--password-stdin'],
      'short\n',
    )
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/email: Enter an email address/)
    expect(bad.stderr).toMatch(/password: Password must be 12 characters/)
    const noStdin = await run([
      'users',
      'add',
      '--email',
      'y@kent.example',
      '--name',
      'Y',
      '--org',
      'kent',
      '--role',
      'investigator',
    ])
    expect(noStdin.code).toBe(2)
  })

  it('creates an API token once and revokes it', async () => {
    const created = await run(['tokens', 'create', '--user', 'cli.user@kent.example', '--label', 'test'])
    expect(created.code, created.stderr).toBe(0)
    const id = /Token id: (\S+)/.exec(created.stdout)![1]!
    expect(created.stdout).toMatch(/cb_[A-Za-z0-9_-]{40,}/)
    expect((await run(['tokens', 'revoke', id])).code).toBe(0)
    expect((await run(['tokens', 'revoke', id])).code).toBe(1)
  })

  it('verifies the audit chain', async () => {
    const result = await run(['audit', 'verify'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Audit log intact: \d+ rows/)
  })

  it('writes and exports signed checkpoints of the audit chain, checks an exported file and names a forged one', async () => {
    const written = await run(['audit', 'checkpoint'])
    expect(written.code, written.stderr).toBe(0)
    const checkpoint = JSON.parse(written.stdout) as { id: number; rows: number; signature: string }
    expect(checkpoint).toMatchObject({ writtenBy: 'cli', signature: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const exported = await run(['audit', 'checkpoints'])
    expect(exported.code).toBe(0)
    const lines = exported.stdout.trim().split('\n')
    expect(lines.map((line) => (JSON.parse(line) as { id: number }).id)).toContain(checkpoint.id)
    const file = path.join(dataDir, 'checkpoints.jsonl')
    fs.writeFileSync(file, exported.stdout)
    const verified = await run(['audit', 'verify', '--checkpoints', file])
    expect(verified.code, verified.stderr).toBe(0)
    expect(verified.stdout).toMatch(/signed checkpoints match/)
    // A checkpoint claiming more rows than it signed: exit 1, named.
    fs.writeFileSync(file, JSON.stringify({ ...checkpoint, id: null, rows: checkpoint.rows + 10 }) + '\n')
    const forged = await run(['audit', 'verify', '--checkpoints', file])
    expect(forged.code).toBe(1)
    expect(forged.stderr).toMatch(/checkpoint_forged: Checkpoint of .* has a bad signature/)
  })

  it('logs the checkpoint that ends each scheduled run, appends it to AUDIT_CHECKPOINT_FILE, and a saved log is an export', async () => {
    const file = path.join(dataDir, 'scheduled-checkpoints.jsonl')
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve'], {
      env: { ...env, PORT: '0', LOG_LEVEL: 'info', AUDIT_CHECKPOINT_FILE: file },
    })
    let out = ''
    server.stdout.on('data', (d) => (out += d))
    const exit = new Promise<number | null>((resolve) => server.on('close', resolve))
    try {
      for (let i = 0; !out.includes('"msg":"audit checkpoint"'); i++) {
        if (server.exitCode !== null || i > 900) throw new Error(`no checkpoint logged: ${out}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    } finally {
      server.kill('SIGTERM')
    }
    expect(await exit).toBe(0)
    const log = out.split('\n').filter((line) => line.startsWith('{'))
    const logged = (
      JSON.parse(log.find((line) => line.includes('"msg":"audit checkpoint"'))!) as {
        auditCheckpoint: { writtenBy: string; signature: string }
      }
    ).auditCheckpoint
    expect(logged.writtenBy).toBe('scheduler')
    expect(fs.readFileSync(file, 'utf8')).toContain(logged.signature)
    const savedLog = path.join(dataDir, 'server.log')
    fs.writeFileSync(savedLog, log.join('\n') + '\n')
    const verified = await run(['audit', 'verify', '--checkpoints', savedLog], undefined, {
      AUDIT_CHECKPOINT_FILE: file,
    })
    expect(verified.code, verified.stderr).toBe(0)
  })

  it('works out a due date by hand, explains it, and takes a newer GOV.UK list', async () => {
    const due = await run(['calendar', 'due', '--from', '2026-12-23', '--working-days', '5', '--explain'])
    expect(due.code, due.stderr).toBe(0)
    expect(due.stdout.split('\n')[0]).toBe('2027-01-04')
    expect(due.stdout).toContain('2026-12-28 skipped: Bank holiday: Boxing Day (substitute day)')
    const beyond = await run(['calendar', 'due', '--from', '2027-12-30', '--working-days', '5'])
    expect(beyond.code).toBe(2)
    expect(beyond.stderr).toMatch(/known only until 31 December 2027/)
    const file = path.join(dataDir, 'bank-holidays.json')
    fs.writeFileSync(
      file,
      JSON.stringify({
        'england-and-wales': {
          division: 'england-and-wales',
          events: [{ title: 'New Year’s Day', date: '2028-01-03', notes: 'Substitute day', bunting: true }],
        },
      }),
    )
    const imported = await run(['calendar', 'import', file])
    expect(imported.code, imported.stderr).toBe(0)
    expect((await run(['calendar', 'due', '--from', '2027-12-31', '--working-days', '1'])).stdout.trim()).toBe(
      '2028-01-04',
    )
    fs.writeFileSync(file, '{"scotland": {}}')
    const bad = await run(['calendar', 'import', file])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/Not a GOV.UK bank holidays file/)
  })

  it('runs the scheduled job for a chosen day, and names a bad date', async () => {
    const ok = await run(['tick', '--now', '2027-06-01'])
    expect(ok.code, ok.stderr).toBe(0)
    // Nothing is due in this folder (the work itself is tested in test/db/escalation, work-queue and measures).
    expect(ok.stdout).toMatch(
      /^Escalation steps taken: 0\nCases administratively finalised: 0\nEmails sent: 0\nCases whose figures were counted again: 0\nAudit checkpoint \d+ written: \d+ rows up to row \d+\n$/,
    )
    const bad = await run(['tick', '--now', '2027-02-30'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/now: Enter a real date/)
  })

  it('refuses demo data in production without --force', async () => {
    const result = await run(['demo'], undefined, {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://127.0.0.1:1/none',
      SESSION_SECRET: 'x'.repeat(40),
      AUDIT_KEY: 'k'.repeat(40),
      PUBLIC_URL: 'https://casebridge.example',
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/Refusing to load demonstration data/)
  })

  it('refuses to start in production without its secrets', async () => {
    const result = await run(['serve'], undefined, { NODE_ENV: 'production' })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('Refusing to start in production without SESSION_SECRET and DATABASE_URL')
  })

  it('starts on an empty folder with the demo data and prints how to sign in (npm start, with its bounded heap)', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-start-'))
    // Exactly what `npm start` runs; the heap bound is the one the benchmark's server runs with. `exec`, so that npm's
    // SIGTERM reaches the server rather than only the shell npm runs it with (see the next test but one).
    const [exec, node, ...args] = (packageJson.scripts.start as string).split(' ')
    expect([exec, node]).toEqual(['exec', 'node'])
    expect(args).toEqual(expect.arrayContaining([...SERVER_NODE_FLAGS]))
    const server = spawn(process.execPath, args, {
      env: { ...env, CASEBRIDGE_DATA_DIR: fresh, PORT: '0', DEMO_PASSWORD: '' },
    })
    let out = ''
    server.stdout.on('data', (d) => (out += d))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not start: ${out}`)), 80_000)
      server.stdout.on('data', () => {
        if (out.includes('Casebridge is running')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    // The first start says what it is doing before the long steps, in order (issue 20, "Starting").
    expect(out.indexOf('Opening the database (embedded) and applying migrations...')).toBe(0)
    expect(out.indexOf('First start: loading the demonstration data')).toBeGreaterThan(0)
    expect(out.indexOf('Demonstration data loaded')).toBeGreaterThan(out.indexOf('First start: loading'))
    expect(out).toContain('investigator.avon@casebridge.example')
    expect(out).toMatch(/Password for every demo user \(shown once; set DEMO_PASSWORD to choose your own\): \S{12,}/)
    const exit = new Promise<number | null>((resolve) => server.on('close', resolve))
    server.kill('SIGTERM')
    expect(await exit).toBe(0)
    fs.rmSync(fresh, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
  })

  it('serves, refuses a second process on the same folder, and drains and unlocks on SIGTERM', async () => {
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve'], {
      env: { ...env, PORT: '0' },
    })
    let out = ''
    server.stdout.on('data', (d) => (out += d))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000)
      server.stdout.on('data', () => {
        if (out.includes('Casebridge is running')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    const second = await run(['migrate'])
    expect(second.code).toBe(3)
    expect(second.stderr).toMatch(/in use by another Casebridge process .*administrator pages/)
    const exit = new Promise<number | null>((resolve) => server.on('close', resolve))
    server.kill('SIGTERM')
    expect(await exit).toBe(0)
    expect(fs.existsSync(path.join(dataDir, 'casebridge.lock'))).toBe(false)
  })

  it('stops when npm start is told to (finishing a request in flight) or killed, and frees the folder', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-npm-start-'))
    const lock = path.join(fresh, 'casebridge.lock')
    const port = await freePort()
    const password = 'npm-start-demo-password'
    const npmStart = () => {
      const npm = spawn('npm', ['start'], {
        env: { ...env, CASEBRIDGE_DATA_DIR: fresh, PORT: String(port), DEMO_PASSWORD: password },
      })
      let out = ''
      npm.stdout.on('data', (d) => (out += d))
      npm.stderr.on('data', (d) => (out += d))
      // 'exit', not 'close': a server left behind would keep npm's output open, and 'close' would never come.
      const exit = new Promise<void>((resolve) => npm.on('exit', () => resolve()))
      const started = (async () => {
        for (let i = 0; !out.includes('Casebridge is running'); i++) {
          if (npm.exitCode !== null || i > 1500) throw new Error(`npm start did not start the server: ${out}`)
          await sleep(100)
        }
      })()
      return { npm, exit, started }
    }
    try {
      // One account, so that `start` finds people there and loads no demo (the test before this one loads it).
      const added = await run(
        [
          'users',
          'add',
          '--email',
          'stop.test@kent.example',
          '--name',
          'Stop Test',
          '--org',
          'kent',
          '--role',
          'investigator',
          '--password-stdin',
        ],
        `${password}\n`,
        { CASEBRIDGE_DATA_DIR: fresh },
      )
      expect(added.code, added.stderr).toBe(0)
      // npm runs the script with `sh -c`; npm passes its SIGTERM to that shell, which used to end without passing it
      // on, leaving the server running and the folder locked.
      const first = npmStart()
      await first.started
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200)
      // A sign-in whose body is still arriving when npm is told to stop: it is answered before the server ends.
      const body = JSON.stringify({ email: 'stop.test@kent.example', password })
      const socket = net.connect(port, '127.0.0.1')
      let response = ''
      socket.on('data', (d) => (response += d))
      await new Promise((resolve) => socket.once('connect', resolve))
      socket.write(
        `POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      )
      await sleep(300)
      first.npm.kill('SIGTERM')
      await sleep(500)
      socket.write(body.slice(10))
      await first.exit
      socket.destroy()
      expect(response).toMatch(/^HTTP\/1.1 201/)
      expect(await portIsOpen(port)).toBe(false)
      expect(fs.existsSync(lock)).toBe(false)
      const verified = await run(['audit', 'verify'], undefined, { CASEBRIDGE_DATA_DIR: fresh })
      expect(verified.code, verified.stderr).toBe(0)

      // npm killed outright (a process manager's last resort): no signal reaches the server, which notices that
      // the process that started it has gone and stops.
      const second = npmStart()
      await second.started
      second.npm.kill('SIGKILL')
      await second.exit
      for (let i = 0; i < 100 && fs.existsSync(lock); i++) await sleep(100)
      expect(fs.existsSync(lock)).toBe(false)
      expect(await portIsOpen(port)).toBe(false)
      const ticked = await run(['tick', '--now', '2027-06-01'], undefined, { CASEBRIDGE_DATA_DIR: fresh })
      expect(ticked.code, ticked.stderr).toBe(0)
    } finally {
      // Should a server outlive the test, end it (by the process id in its lock file) so it holds nothing.
      const owner = fs.existsSync(lock) ? Number(fs.readFileSync(lock, 'utf8')) : 0
      if (owner > 0) process.kill(owner, 'SIGKILL')
      fs.rmSync(fresh, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
    }
  }, 240_000)
})

function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
