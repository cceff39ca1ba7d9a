import { fork, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { Session } from 'node:inspector/promises'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import Fastify from 'fastify'
import { sql } from 'kysely'
import pg from 'pg'
import { type Config, SERVER_NODE_FLAGS } from '../config'
import { openDatabase } from '../data/database'
import { migrate } from '../data/migrate'
import { ensureReferenceData } from '../data/reference'
import { todayIso } from '../core/fields'
import { createServices } from '../services'
import { demoEmail, loadDemo } from '../services/demo'
import { buildApp } from '../web/app'

/**
 * The benchmark of the product targets (docs/sources.md, "What good looks like"). For each engine, in a process of its own (so its memory is its own): the
 * case list and a case page at 50 and 200 concurrent connections against a bare Fastify route making the same number
 * of database round trips, the dashboard at the generated size, and how fast synthetic cases were generated. Issue 19's
 * figures too: the database round trips of a case page and of a form post (counted at the driver, so a transaction's
 * BEGIN and COMMIT count), the server's CPU time per case page, and the case page's throughput against the real
 * app's /health at 50 connections, side by side. It prints figures and writes bench/results.json; it asserts nothing.
 * PostgreSQL needs DATABASE_URL set to a scratch database (the synthetic cases stay there, and a later run reuses
 * them). With BENCH_CPU_PROFILE set to a folder, the server also writes a V8 CPU profile of the case pages whose CPU
 * time is measured (open it in Chrome's DevTools).
 */
export interface BenchOptions {
  seconds: number
  pgliteCases: number
  postgresCases: number
  seed: number
  concurrency: readonly number[]
}

/** Issue 19 asks for the case page's throughput against /health's at this many connections. */
const RATIO_CONCURRENCY = 50
/** Sequential case pages whose CPU time is measured (after as many again to warm up). */
const CPU_REQUESTS = 300

/** What the driver was sent during one request. */
interface Trips {
  /** Every statement sent on a connection, BEGIN and COMMIT included: the round trips. */
  queries: number
  /** Of those, the transactions begun. */
  transactions: number
  /** The statements Kysely built and sent (the figure earlier runs reported as round trips). */
  kysely: number
}

interface LoadResult {
  requests: number
  perSecond: number
  p50: number
  p95: number
  errors: number
}

export async function bench(config: Config, options: BenchOptions) {
  const engines = ['pglite', 'postgres'] as const
  const results: Record<string, unknown> = {}
  const dir = mkdtempSync(path.join(os.tmpdir(), 'casebridge-bench-'))
  for (const engine of engines) {
    if (engine === 'postgres' && !config.databaseUrl) {
      results[engine] = { skipped: 'Set DATABASE_URL to a scratch PostgreSQL database to measure PostgreSQL' }
      continue
    }
    const out = path.join(dir, `${engine}.json`)
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1]!, 'bench-engine', engine, out, JSON.stringify(options)],
      { stdio: 'inherit', env: { ...process.env, ...(engine === 'pglite' && { DATABASE_URL: '' }) } },
    )
    results[engine] =
      child.status === 0 ? JSON.parse(readFileSync(out, 'utf8')) : { failed: `exit ${child.status ?? child.signal}` }
  }
  const report = {
    producedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    options,
    engines: results,
  }
  mkdirSync('bench', { recursive: true })
  writeFileSync('bench/results.json', JSON.stringify(report, null, 2) + '\n')
  process.stdout.write(`\n${table(report.engines)}\nWritten to bench/results.json\n`)
}

function table(engines: Record<string, unknown>) {
  const lines = ['| Engine | Measure | Figure |', '| --- | --- | --- |']
  for (const [engine, r] of Object.entries(engines) as [string, Record<string, unknown>][]) {
    if (r.skipped || r.failed) {
      lines.push(`| ${engine} | not measured | ${String(r.skipped ?? r.failed)} |`)
      continue
    }
    const pages = r.pages as Record<
      string,
      { concurrency: number; service: LoadResult; bare: LoadResult; ratio: number; roundTrips: number }[]
    >
    for (const [page, runs] of Object.entries(pages)) {
      for (const run of runs) {
        lines.push(
          `| ${engine} | ${page}, ${run.concurrency} concurrent | p50 ${run.service.p50} ms, p95 ${run.service.p95} ms, ${run.service.perSecond} req/s; bare ${run.bare.perSecond} req/s (${run.roundTrips} round trips); ratio ${run.ratio} |`,
        )
      }
    }
    const i19 = r.issue19 as Issue19 | undefined
    if (i19) {
      const trips = (t: Trips) =>
        `${t.queries} round trips (${t.transactions} transactions; ${t.kysely} statements through Kysely)`
      lines.push(`| ${engine} | case page, round trips | ${trips(i19.roundTrips.casePage)} |`)
      lines.push(
        `| ${engine} | form post (${i19.roundTrips.formEvent}), round trips | ${trips(i19.roundTrips.formPost)} |`,
      )
      lines.push(`| ${engine} | API event post, round trips | ${trips(i19.roundTrips.apiPost)} |`)
      lines.push(
        `| ${engine} | server CPU, ${i19.cpu.requests} sequential requests | case page ${i19.cpu.casePageMs} ms, /health ${i19.cpu.healthMs} ms a request (case page ${i19.cpu.casePageWallMs} ms wall) |`,
      )
      const h = i19.healthRatio
      lines.push(
        `| ${engine} | case page / health ratio, ${h.concurrency} concurrent | case page ${h.casePage.perSecond} req/s, /health ${h.health.perSecond} req/s; ratio ${h.ratio} |`,
      )
    }
    const d = r.dashboard as Record<'page' | 'api' | 'pageAt10' | 'apiAt10', LoadResult> & { cases: number }
    lines.push(
      `| ${engine} | dashboard page at ${d.cases} cases, 1 / 10 concurrent | p50 ${d.page.p50} / ${d.pageAt10.p50} ms, p95 ${d.page.p95} / ${d.pageAt10.p95} ms |`,
    )
    lines.push(
      `| ${engine} | one measure by force (API) at ${d.cases} cases, 1 / 10 concurrent | p50 ${d.api.p50} / ${d.apiAt10.p50} ms, p95 ${d.api.p95} / ${d.apiAt10.p95} ms |`,
    )
    const generation = r.generation as { casesPerSecond: number | null; note?: string }
    lines.push(
      `| ${engine} | generation | ${generation.casesPerSecond === null ? `not measured: ${generation.note}` : `${generation.casesPerSecond} cases/s`} |`,
    )
    lines.push(`| ${engine} | peak memory of the server while serving | ${String(r.peakMemoryMb)} MB |`)
    lines.push(
      `| ${engine} | peak memory of the server, generation included | ${String(r.peakMemoryWithGenerationMb)} MB |`,
    )
  }
  return lines.join('\n')
}

interface Issue19 {
  roundTrips: { casePage: Trips; formEvent: string; formPost: Trips; apiPost: Trips }
  cpu: { requests: number; casePageMs: number; casePageWallMs: number; healthMs: number; profile?: string }
  healthRatio: { concurrency: number; casePage: LoadResult; health: LoadResult; ratio: number }
}

/** What the server process tells the load generator, and what it is asked. */
type ServerMessage =
  | { type: 'ready'; port: number; barePort: number; generation: Generation }
  | ({ type: 'queries' } & Trips)
  | { type: 'cpu'; user: number; system: number }
  | { type: 'profile'; file: string | null }
  | { type: 'memory'; peakServingMb: number; peakMb: number }
type ServerRequest =
  | { type: 'reset-queries' }
  | { type: 'queries' }
  | { type: 'cpu' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; name: string }
  | { type: 'memory' }
  | { type: 'stop' }
type Generation = { cases: number; casesPerSecond: number | null; note?: string }

/**
 * The server of one engine's benchmark, in a process of its own so that its memory and CPU are not the load
 * generator's: the database (embedded in memory, or PostgreSQL), the synthetic cases, the application and the bare
 * route. It answers the load generator's questions over IPC.
 */
export async function benchServer(config: Config, engine: 'pglite' | 'postgres', options: BenchOptions) {
  const send = (message: ServerMessage) => process.send!(message)
  const trips = countAtTheDriver()
  const database = await openDatabase({
    databaseUrl: engine === 'postgres' ? config.databaseUrl : undefined,
    dataDir: 'memory://',
    poolSize: 20,
    onQuery: () => trips.kysely++,
  })
  await migrate(database.db)
  await ensureReferenceData(database.db)
  const services = createServices({ ...config, logLevel: 'silent' }, database)
  if (!(await services.accounts.byEmail(demoEmail('investigator', 'avon')))) await loadDemo(services, BENCH_PASSWORD)

  // Synthetic cases in bulk, unless an earlier run left them here.
  const size = engine === 'postgres' ? options.postgresCases : options.pgliteCases
  const have = await sql<{
    n: number
  }>`SELECT count(*)::int AS n FROM cases WHERE crime_reference LIKE ${`SYN/${options.seed}/%`}`.execute(database.db)
  let generation: Generation
  if (have.rows[0]!.n >= size) {
    generation = { cases: size, casesPerSecond: null, note: 'already generated by an earlier run' }
  } else {
    process.stdout.write(`${engine}: generating ${size} synthetic cases in bulk...\n`)
    const result = await services.generator.generate({
      cases: size,
      seed: options.seed,
      years: 5,
      until: todayIso(),
      bulk: true,
      onProgress: (done) => process.stdout.write(`\r  ${done} of ${size}`),
    })
    process.stdout.write('\n')
    generation = { cases: size, casesPerSecond: Math.round(result.casesPerSecond) }
  }

  const app = await buildApp(services)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const bare = Fastify({ logger: false })
  bare.get<{ Params: { n: string } }>('/bare/:n', async (req) => {
    for (let i = 0; i < Number(req.params.n); i++) await sql`select 1`.execute(database.db)
    return { ok: true }
  })
  await bare.listen({ port: 0, host: '127.0.0.1' })
  // Resident memory while serving, sampled (the peak of the whole process includes generating the cases).
  let peakServing = process.memoryUsage.rss()
  const sampler = setInterval(() => (peakServing = Math.max(peakServing, process.memoryUsage.rss())), 50)
  const profileDir = process.env.BENCH_CPU_PROFILE
  const inspector = profileDir ? new Session() : null
  process.on('message', async (message: ServerRequest) => {
    if (message.type === 'reset-queries') {
      Object.assign(trips, { queries: 0, transactions: 0, kysely: 0 })
      send({ type: 'queries', ...trips })
    } else if (message.type === 'queries') send({ type: 'queries', ...trips })
    else if (message.type === 'cpu') send({ type: 'cpu', ...process.cpuUsage() })
    else if (message.type === 'profile-start') {
      if (inspector) {
        inspector.connect()
        await inspector.post('Profiler.enable')
        await inspector.post('Profiler.start')
      }
      send({ type: 'profile', file: null })
    } else if (message.type === 'profile-stop') {
      let file: string | null = null
      if (inspector && profileDir) {
        const { profile } = await inspector.post('Profiler.stop')
        inspector.disconnect()
        mkdirSync(profileDir, { recursive: true })
        file = path.join(profileDir, `${message.name}.cpuprofile`)
        writeFileSync(file, JSON.stringify(profile))
      }
      send({ type: 'profile', file })
    } else if (message.type === 'memory')
      send({
        type: 'memory',
        peakServingMb: Math.round(peakServing / 2 ** 20),
        peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
      })
    else if (message.type === 'stop') {
      clearInterval(sampler)
      await bare.close()
      await app.close()
      await database.close()
      process.disconnect()
    }
  })
  send({
    type: 'ready',
    port: (app.server.address() as AddressInfo).port,
    barePort: (bare.server.address() as AddressInfo).port,
    generation,
  })
}

const BENCH_PASSWORD = 'benchmark-password'

/**
 * Counts what node-postgres sends, for both engines (PGlite is reached through node-postgres too): every `query` on
 * a client is one round trip, whether Kysely, the pool or the app's own code sent it, and BEGIN says a transaction.
 * Installed before the database is opened, so every connection's `query` (and the prepared-statement wrapper in
 * data/database.ts, which keeps the one it finds) goes through it.
 */
function countAtTheDriver(): Trips {
  const trips: Trips = { queries: 0, transactions: 0, kysely: 0 }
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }
  const query = prototype.query
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    trips.queries++
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | undefined)?.text
    if (typeof text === 'string' && /^\s*begin\b/i.test(text)) trips.transactions++
    return query.apply(this, args)
  }
  return trips
}

/** One engine, in its own process: starts the server process, loads it, and writes the figures as JSON to `out`. */
export async function benchEngine(engine: 'pglite' | 'postgres', out: string, options: BenchOptions) {
  const server = fork(process.argv[1]!, ['bench-server', engine, JSON.stringify(options)], {
    // As `npm start` runs it.
    execArgv: [...process.execArgv, ...SERVER_NODE_FLAGS],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const replies: ((message: ServerMessage) => void)[] = []
  server.on('message', (message: ServerMessage) => replies.shift()?.(message))
  const ask = (request: ServerRequest | null) =>
    new Promise<ServerMessage>((resolve, reject) => {
      const stopped = (code: number | null) => reject(new Error(`the ${engine} server stopped (exit ${code})`))
      replies.push((message) => {
        server.off('exit', stopped)
        resolve(message)
      })
      server.once('exit', stopped)
      if (request) server.send(request)
    })
  const ready = (await ask(null)) as Extract<ServerMessage, { type: 'ready' }>
  const { port, barePort, generation } = ready
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...options.concurrency) })
  const request = (
    onPort: number,
    pathname: string,
    init: { method?: string; body?: string; cookie?: string; form?: boolean } = {},
  ) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: onPort,
          path: pathname,
          method: init.method ?? 'GET',
          agent,
          headers: {
            'content-type': init.form ? 'application/x-www-form-urlencoded' : 'application/json',
            ...(init.cookie ? { cookie: init.cookie } : {}),
          },
        },
        (res) => {
          let body = ''
          res.on('data', (chunk) => (body += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        },
      )
      req.on('error', reject)
      req.end(init.body)
    })
  const signIn = async (email: string) => {
    const res = await request(port, '/api/v1/session', {
      method: 'POST',
      body: JSON.stringify({ email, password: BENCH_PASSWORD }),
    })
    return String(res.headers['set-cookie']?.[0] ?? '').split(';')[0]!
  }
  const investigator = await signIn(demoEmail('investigator', 'avon'))
  const analyst = await signIn(demoEmail('analyst', 'avon'))
  const list = JSON.parse((await request(port, '/api/v1/cases', { cookie: investigator })).body) as {
    items: { id: string }[]
  }
  const caseId = list.items[0]!.id

  const load = async (
    onPort: number,
    pathname: string,
    cookie: string | null,
    concurrency: number,
    seconds: number,
  ) => {
    const latencies: number[] = []
    const deadline = Date.now() + seconds * 1000
    let errors = 0
    const worker = async () => {
      while (Date.now() < deadline) {
        const start = performance.now()
        const status = await new Promise<number>((resolve) => {
          const req = http.request(
            { host: '127.0.0.1', port: onPort, path: pathname, agent, headers: cookie ? { cookie } : {} },
            (r) => {
              r.resume()
              r.on('end', () => resolve(r.statusCode ?? 0))
            },
          )
          req.on('error', () => resolve(0))
          req.end()
        })
        latencies.push(performance.now() - start)
        if (status !== 200) errors++
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    latencies.sort((a, b) => a - b)
    const pct = (p: number) =>
      Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1))
    return {
      requests: latencies.length,
      perSecond: Math.round(latencies.length / seconds),
      p50: pct(0.5),
      p95: pct(0.95),
      errors,
    }
  }
  /** The round trips of one request (`send`), made after the server has served its like once. */
  const counted = async (send: () => Promise<{ status: number }>, expect: number) => {
    // Answered before the request is sent: the message and the request travel apart, and a reset handled after the
    // request (a busy server) would count none of its round trips.
    await ask({ type: 'reset-queries' })
    const { status } = await send()
    const { queries, transactions, kysely } = (await ask({ type: 'queries' })) as Extract<
      ServerMessage,
      { type: 'queries' }
    >
    if (status !== expect) throw new Error(`${engine}: a counted request answered ${status}, not ${expect}`)
    return { queries, transactions, kysely }
  }
  const roundTrips = async (pathname: string, cookie: string) => {
    // Once to fill the reference lists each process keeps, then counted as every later request makes them.
    await request(port, pathname, { cookie })
    return counted(() => request(port, pathname, { cookie }), 200)
  }

  // Issue 19: round trips of a case page and of a form post, CPU per case page, and the ratio to /health.
  const issue19 = await measureIssue19()
  async function measureIssue19(): Promise<Issue19> {
    process.stdout.write(`${engine}: round trips, CPU per case page...\n`)
    const casePagePath = `/cases/${caseId}`
    const casePage = await roundTrips(casePagePath, investigator)

    // A form post as the case page's link sends it: the investigation started on a newly reported case, first on
    // one case (to fill what each process keeps), then counted on another. The same through the API, on two more.
    // The four cases are recorded through the API for the purpose (and stay in the database).
    const formEvent = 'start_investigation'
    const reportedOn = todayIso()
    const newCase = async () => {
      const res = await request(port, '/api/v1/cases', {
        method: 'POST',
        cookie: investigator,
        body: JSON.stringify({
          crimeReference: `BENCH/${randomUUID().slice(0, 8)}`,
          reportedOn,
          offences: [{ code: '19C', committedFrom: reportedOn }],
          complainants: [{ name: 'Benchmark Complainant', sex: 'female', ageBand: '25_34' }],
          suspects: [{ unknown: true }],
          flags: {},
          restricted: false,
        }),
      })
      if (res.status !== 201) throw new Error(`${engine}: recording a report answered ${res.status}: ${res.body}`)
      return (JSON.parse(res.body) as { id: string }).id
    }
    const ids: string[] = []
    for (let i = 0; i < 4; i++) ids.push(await newCase())
    const formPost = async (id: string) => {
      const form = (await request(port, `/cases/${id}/events/${formEvent}`, { cookie: investigator })).body
      const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? ''
      const body = new URLSearchParams({
        _csrf: hidden('_csrf'),
        expectedVersion: hidden('expectedVersion'),
        idempotencyKey: hidden('idempotencyKey'),
        note: 'Benchmark',
      }).toString()
      return () =>
        request(port, `/cases/${id}/events/${formEvent}`, { method: 'POST', body, cookie: investigator, form: true })
    }
    const apiPost = async (id: string) => {
      const { version } = JSON.parse((await request(port, `/api/v1/cases/${id}`, { cookie: investigator })).body) as {
        version: number
      }
      const body = JSON.stringify({ type: formEvent, data: {}, expectedVersion: version, idempotencyKey: randomUUID() })
      return () => request(port, `/api/v1/cases/${id}/events`, { method: 'POST', body, cookie: investigator })
    }
    const warmForm = await formPost(ids[0]!)
    await warmForm()
    const form = await counted(await formPost(ids[1]!), 303)
    const warmApi = await apiPost(ids[2]!)
    await warmApi()
    const api = await counted(await apiPost(ids[3]!), 201)

    // CPU: the server process's user and system time (V8's background threads included) over sequential requests.
    const cpuPer = async (pathname: string, cookie: string | null, profile?: string) => {
      const one = async () => {
        const { status } = await request(port, pathname, cookie ? { cookie } : {})
        if (status !== 200) throw new Error(`${engine}: ${pathname} answered ${status}`)
      }
      for (let i = 0; i < CPU_REQUESTS; i++) await one()
      if (profile) await ask({ type: 'profile-start' })
      const before = (await ask({ type: 'cpu' })) as Extract<ServerMessage, { type: 'cpu' }>
      const start = performance.now()
      for (let i = 0; i < CPU_REQUESTS; i++) await one()
      const wall = performance.now() - start
      const after = (await ask({ type: 'cpu' })) as Extract<ServerMessage, { type: 'cpu' }>
      const file = profile
        ? ((await ask({ type: 'profile-stop', name: profile })) as Extract<ServerMessage, { type: 'profile' }>).file
        : null
      const micros = after.user - before.user + (after.system - before.system)
      return {
        ms: Number((micros / 1000 / CPU_REQUESTS).toFixed(2)),
        wallMs: Number((wall / CPU_REQUESTS).toFixed(2)),
        file,
      }
    }
    const pageCpu = await cpuPer(casePagePath, investigator, `${engine}-case-page`)
    const healthCpu = await cpuPer('/health', null)

    // Side by side at the same concurrency, one straight after the other (/health warmed up first).
    process.stdout.write(`${engine}: case page and /health at ${RATIO_CONCURRENCY} concurrent...\n`)
    await load(port, '/health', null, RATIO_CONCURRENCY, 1)
    const pageLoad = await load(port, casePagePath, investigator, RATIO_CONCURRENCY, options.seconds)
    const healthLoad = await load(port, '/health', null, RATIO_CONCURRENCY, options.seconds)
    return {
      roundTrips: { casePage, formEvent, formPost: form, apiPost: api },
      cpu: {
        requests: CPU_REQUESTS,
        casePageMs: pageCpu.ms,
        casePageWallMs: pageCpu.wallMs,
        healthMs: healthCpu.ms,
        ...(pageCpu.file && { profile: pageCpu.file }),
      },
      healthRatio: {
        concurrency: RATIO_CONCURRENCY,
        casePage: pageLoad,
        health: healthLoad,
        ratio: Number((pageLoad.perSecond / Math.max(1, healthLoad.perSecond)).toFixed(2)),
      },
    }
  }

  const pages: Record<string, unknown[]> = {}
  for (const [name, pathname] of [
    ['case list', '/cases'],
    ['case page', `/cases/${caseId}`],
  ] as const) {
    const trips = (await roundTrips(pathname, investigator)).queries
    pages[name] = []
    for (const concurrency of options.concurrency) {
      process.stdout.write(`${engine}: ${name} at ${concurrency} concurrent...\n`)
      const service = await load(port, pathname, investigator, concurrency, options.seconds)
      const baseline = await load(barePort, `/bare/${trips}`, null, concurrency, options.seconds)
      pages[name]!.push({
        concurrency,
        roundTrips: trips,
        service,
        bare: baseline,
        ratio: Number((service.perSecond / Math.max(1, baseline.perSecond)).toFixed(2)),
      })
    }
  }
  process.stdout.write(`${engine}: dashboard...\n`)
  // One reader at a time (the latency of a page) and ten at once (a busy morning).
  const dashboard = {
    cases: generation.cases,
    page: await load(port, '/performance', analyst, 1, options.seconds),
    api: await load(port, '/api/v1/measures/charge_rate?by=force', analyst, 1, options.seconds),
    pageAt10: await load(port, '/performance', analyst, 10, options.seconds),
    apiAt10: await load(port, '/api/v1/measures/charge_rate?by=force', analyst, 10, options.seconds),
  }
  const memory = (await ask({ type: 'memory' })) as Extract<ServerMessage, { type: 'memory' }>
  const result = {
    engine,
    pages,
    issue19,
    dashboard,
    generation,
    peakMemoryMb: memory.peakServingMb,
    peakMemoryWithGenerationMb: memory.peakMb,
    note: 'The server runs in a process of its own; the load is generated in another, on the same two cores.',
  }
  writeFileSync(out, JSON.stringify(result))
  agent.destroy()
  server.send({ type: 'stop' } satisfies ServerRequest)
  await new Promise((resolve) => server.once('exit', resolve))
}
