import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type Config } from '../config'
import { DataFolderLockedError } from '../data/database'
import { AUDIT_OPERATIONS } from '../domain/audit'
import { isRole } from '../core/roles'
import { createServices, type Services } from '../services'
import { demoUsers, loadDemo } from '../services/demo'
import { checkpointLine } from '../services/audit-checkpoints'
import { AppError } from '../services/errors'
import { openAndMigrate, serve } from '../server'
import { progress } from './progress'

const HELP = `Usage: casebridge <command> [options]

Commands:
  start                     migrate, load demo data into an empty database, then serve (npm start)
  serve                     migrate and start the web server (PORT, default 3000)
  migrate                   apply pending database migrations
  demo [--force]            load the demonstration organisations, users and cases
  users add --email E --name N --org CODE --role ROLE [--role ROLE2] --password-stdin
  users list                list user accounts
  tokens create --user E [--label L]   print a new API token once
  tokens revoke ID          revoke an API token
  orgs list                 print organisation codes and names
  audit verify [--checkpoints FILE]...
                            check the audit log's keyed hash chain against its signed checkpoints (and those in
                            exported files); exit 1 naming each problem
  audit checkpoint          sign and store a checkpoint of the chain's head; print it as a line of JSON
  audit checkpoints         print every stored checkpoint as lines of JSON (to keep elsewhere)
  calendar due --from YYYY-MM-DD (--working-days N | --calendar-days N) [--explain]
  calendar import FILE      load bank holidays from a GOV.UK bank-holidays.json file
  tick [--now YYYY-MM-DD]   run the scheduled job (escalations, finalisation, emails) as on that day
  generate [--cases N] [--seed S] [--years Y] [--until YYYY-MM-DD] [--forces a,b] [--bulk]
                            synthetic cases through the events (or in bulk), the same for the same arguments
  measures rebuild          work every case's measure sums out afresh from its timeline
  bench [--seconds S] [--pglite-cases N] [--postgres-cases N] [--seed S]
                            the benchmark of each engine (PostgreSQL when DATABASE_URL is a scratch database);
                            prints a table and writes bench/results.json
`

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

async function withServices<T>(config: Config, work: (services: Services) => Promise<T>): Promise<T> {
  const database = await openAndMigrate(config)
  try {
    return await work(createServices(config, database))
  } finally {
    await database.close()
  }
}

function printDemoSignIn(config: Config, password: string, generated: boolean) {
  const users = demoUsers()
  const lines = [
    '',
    'Demonstration data loaded. Sign in at http://localhost:' + config.port + ' with any of these users:',
    ...users.map((u) => `  ${u.email.padEnd(48)} ${u.role}`),
    '',
    generated
      ? `Password for every demo user (shown once; set DEMO_PASSWORD to choose your own): ${password}`
      : 'Password for every demo user: the value of DEMO_PASSWORD',
    '',
  ]
  process.stdout.write(lines.join('\n') + '\n')
}

export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv
  const config = loadConfig()
  switch (command) {
    case 'start':
    case 'serve': {
      // The first start migrates an empty database and loads the demo, which takes a while: say what is happening.
      process.stdout.write(
        `Opening the database (${config.databaseUrl ? 'PostgreSQL' : 'embedded'}) and applying migrations...\n`,
      )
      const database = await openAndMigrate(config)
      const services = createServices(config, database)
      if (command === 'start' && (await services.accounts.list()).length === 0) {
        process.stdout.write(
          'First start: loading the demonstration data (people, organisations and cases; about a minute)...\n',
        )
        const result = await loadDemo(services, config.demoPassword)
        printDemoSignIn(config, result.password, result.generated)
      }
      await serve(services)
      process.stdout.write(`Casebridge is running at http://localhost:${config.port} (database: ${database.engine})\n`)
      return -1
    }
    case 'migrate':
      return withServices(config, async () => {
        process.stdout.write('Migrations applied; the database is up to date.\n')
        return 0
      })
    case 'demo': {
      const { values } = parseArgs({
        args: [sub, ...rest].filter((a): a is string => a !== undefined),
        options: { force: { type: 'boolean' } },
      })
      if (config.env === 'production' && !values.force) {
        process.stderr.write(
          'Refusing to load demonstration data into a production database. Use --force if you really mean it.\n',
        )
        return 2
      }
      return withServices(config, async (services) => {
        const result = await loadDemo(services, config.demoPassword)
        printDemoSignIn(config, result.password, result.generated)
        return 0
      })
    }
    case 'users': {
      if (sub === 'list') {
        return withServices(config, async (services) => {
          for (const u of await services.accounts.list())
            process.stdout.write(
              `${u.email}\t${u.orgCode}\t${u.roles.join(',')}\t${u.active ? 'active' : 'deactivated'}\n`,
            )
          return 0
        })
      }
      if (sub !== 'add') break
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          org: { type: 'string' },
          role: { type: 'string', multiple: true },
          'password-stdin': { type: 'boolean' },
        },
      })
      if (!values['password-stdin']) {
        process.stderr.write('Give the password on standard input with --password-stdin (never on the command line).\n')
        return 2
      }
      const badRole = (values.role ?? []).find((r) => !isRole(r))
      if (badRole) {
        process.stderr.write(`Unknown role ${badRole}\n`)
        return 2
      }
      const password = await readStdin()
      return withServices(config, async (services) => {
        const user = await services.accounts.addUser(null, {
          email: values.email,
          name: values.name,
          orgCode: values.org,
          roles: values.role ?? [],
          password,
        })
        process.stdout.write(`Added ${user.email} (${user.roles.join(', ')}) in ${user.orgName}\n`)
        return 0
      })
    }
    case 'tokens': {
      if (sub === 'create') {
        const { values } = parseArgs({ args: rest, options: { user: { type: 'string' }, label: { type: 'string' } } })
        if (!values.user) break
        return withServices(config, async (services) => {
          const { id, token } = await services.accounts.createToken(values.user!, values.label ?? 'API token')
          process.stdout.write(`Token id: ${id}\nToken (shown once, store it securely):\n${token}\n`)
          return 0
        })
      }
      if (sub === 'revoke' && rest[0]) {
        return withServices(config, async (services) => {
          const done = await services.accounts.revokeToken(rest[0]!)
          process.stdout.write(done ? 'Token revoked.\n' : 'No active token has that id.\n')
          return done ? 0 : 1
        })
      }
      break
    }
    case 'orgs':
      if (sub !== 'list') break
      return withServices(config, async (services) => {
        for (const o of await services.referenceAdmin.organisations()) process.stdout.write(`${o.code}\t${o.name}\n`)
        return 0
      })
    case 'audit': {
      if (sub === 'checkpoint')
        return withServices(config, async (services) => {
          process.stdout.write(checkpointLine(await services.auditCheckpoints.write('cli')) + '\n')
          return 0
        })
      if (sub === 'checkpoints')
        return withServices(config, async (services) => {
          for (const checkpoint of await services.auditCheckpoints.list())
            process.stdout.write(checkpointLine(checkpoint) + '\n')
          return 0
        })
      if (sub !== 'verify') break
      const { values } = parseArgs({ args: rest, options: { checkpoints: { type: 'string', multiple: true } } })
      return withServices(config, async (services) => {
        const result = await services.auditCheckpoints.verify(values.checkpoints ?? [])
        if (result.ok) {
          const checkpoint = await services.auditCheckpoints.write('verify')
          process.stdout.write(
            `Audit log intact: ${result.rows} rows, hash chain verified (${AUDIT_OPERATIONS.join(', ')}); ` +
              `${result.rows - result.legacyRows} keyed, ${result.legacyRows} from before the key; ` +
              `${result.checkpoints} signed checkpoints match. Checkpoint ${checkpoint.id} written.\n`,
          )
          return 0
        }
        if (result.brokenAt)
          process.stderr.write(
            `Audit log broken at row ${result.brokenAt}: ${result.reason}. ${result.rows - 1} rows before it verified.\n`,
          )
        for (const problem of result.problems) process.stderr.write(`${problem.kind}: ${problem.message}\n`)
        return 1
      })
    }
    case 'calendar': {
      if (sub === 'import' && rest[0]) {
        return withServices(config, async (services) => {
          const result = await services.calendar.importFile(rest[0]!)
          process.stdout.write(
            `Imported ${result.holidays} England and Wales bank holidays for ${result.firstYear} to ${result.lastYear}.\n`,
          )
          return 0
        })
      }
      if (sub !== 'due') break
      const { values } = parseArgs({
        args: rest,
        options: {
          from: { type: 'string' },
          'working-days': { type: 'string' },
          'calendar-days': { type: 'string' },
          explain: { type: 'boolean' },
        },
      })
      const working = values['working-days']
      const calendarDays = values['calendar-days']
      if (!values.from || (working === undefined) === (calendarDays === undefined)) {
        process.stderr.write('Give --from YYYY-MM-DD and one of --working-days N or --calendar-days N\n')
        return 2
      }
      return withServices(config, async (services) => {
        const days = Number(working ?? calendarDays)
        const { deadline, explanation } = await services.calendar.due(
          values.from!,
          days,
          working !== undefined ? 'working' : 'calendar',
        )
        process.stdout.write(`${deadline.due}\n`)
        if (values.explain) process.stdout.write(explanation.map((line) => `  ${line}`).join('\n') + '\n')
        return 0
      })
    }
    case 'tick': {
      const { values } = parseArgs({
        args: [sub, ...rest].filter((a): a is string => a !== undefined),
        options: { now: { type: 'string' } },
      })
      return withServices(config, async (services) => {
        const { todayIso } = await import('../core/fields')
        const result = await services.scheduler.tick(values.now ?? todayIso())
        process.stdout.write(
          `Escalation steps taken: ${result.escalations}\nCases administratively finalised: ${result.finalised}\nEmails sent: ${result.emailsSent}\nCases whose figures were counted again: ${result.measuresRefreshed}\nAudit checkpoint ${result.auditCheckpoint.id} written: ${result.auditCheckpoint.rows} rows up to row ${result.auditCheckpoint.lastId}\n`,
        )
        return 0
      })
    }
    case 'generate': {
      const { values } = parseArgs({
        args: [sub, ...rest].filter((a): a is string => a !== undefined),
        options: {
          cases: { type: 'string' },
          seed: { type: 'string' },
          years: { type: 'string' },
          until: { type: 'string' },
          forces: { type: 'string' },
          bulk: { type: 'boolean' },
        },
      })
      const count = Number(values.cases ?? 1000)
      const seed = Number(values.seed ?? 1)
      const years = Number(values.years ?? 5)
      const { todayIso, isRealDate } = await import('../core/fields')
      const until = values.until ?? todayIso()
      const problems = [
        !(Number.isInteger(count) && count > 0 && count <= 5_000_000) &&
          '--cases must be a whole number from 1 to 5000000',
        !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31) && '--seed must be a whole number from 0',
        !(years > 0 && years <= 20) && '--years must be from 1 to 20',
        !(/^\d{4}-\d{2}-\d{2}$/.test(until) && isRealDate(until)) && '--until must be a date, YYYY-MM-DD',
      ].filter(Boolean)
      if (problems.length) {
        process.stderr.write(problems.join('\n') + '\n')
        return 2
      }
      if (config.env === 'production') {
        process.stderr.write('Refusing to generate synthetic cases in a production database.\n')
        return 2
      }
      return withServices(config, async (services) => {
        const shown = progress(count, 'cases')
        const result = await services.generator
          .generate({
            cases: count,
            seed,
            years,
            until,
            bulk: values.bulk ?? false,
            ...(values.forces && { forces: values.forces.split(',') }),
            onProgress: (done) => shown.update(done),
          })
          .finally(() => shown.stop())
        process.stdout.write(
          `Generated ${result.cases} synthetic cases (seed ${seed}, ${years} years to ${until}) ${values.bulk ? 'in bulk' : 'through the events'} in ${result.seconds.toFixed(1)} s: ${Math.round(result.casesPerSecond)} cases a second.\n`,
        )
        return 0
      })
    }
    case 'measures': {
      if (sub !== 'rebuild') break
      return withServices(config, async (services) => {
        const result = await services.cases.rebuildMeasures({
          onProgress: (done) => process.stderr.write(`\r${done} cases`),
        })
        process.stdout.write(`\nMeasures rebuilt from the timelines of ${result.cases} cases.\n`)
        return 0
      })
    }
    case 'bench': {
      const { values } = parseArgs({
        args: [sub, ...rest].filter((a): a is string => a !== undefined),
        options: {
          seconds: { type: 'string' },
          'pglite-cases': { type: 'string' },
          'postgres-cases': { type: 'string' },
          seed: { type: 'string' },
        },
      })
      const { bench } = await import('./bench')
      await bench(config, {
        seconds: Number(values.seconds ?? 10),
        pgliteCases: Number(values['pglite-cases'] ?? 20_000),
        postgresCases: Number(values['postgres-cases'] ?? 350_000),
        seed: Number(values.seed ?? 1),
        concurrency: [50, 200],
      })
      return 0
    }
    case 'bench-engine': {
      // One engine of `bench`, in a process of its own.
      const { benchEngine } = await import('./bench')
      await benchEngine(sub as 'pglite' | 'postgres', rest[0]!, JSON.parse(rest[1]!))
      return 0
    }
    case 'bench-server': {
      // The server of one engine's benchmark, started by bench-engine; it stays up until told to stop.
      const { benchServer } = await import('./bench')
      await benchServer(config, sub as 'pglite' | 'postgres', JSON.parse(rest[0]!))
      return -1
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(HELP)
      return 0
  }
  process.stderr.write(HELP)
  return 2
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (error: unknown) => {
    if (error instanceof DataFolderLockedError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(3)
    }
    if (error instanceof AppError) {
      const fields = Object.entries(error.fields)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')
      process.stderr.write(`${error.message}${fields ? `\n${fields}` : ''}\n`)
      process.exit(2)
    }
    process.stderr.write(`casebridge: ${(error as Error).message}\n`)
    process.exit(1)
  },
)
