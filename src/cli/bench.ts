import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import { sql } from 'kysely'
import type { Config } from '../config'
import { openDatabase } from '../data/database'
import { migrate } from '../data/migrate'
import { ensureReferenceData } from '../data/reference'
import { createServices } from '../services'
import { demoEmail, loadDemo } from '../services/demo'
import { buildApp } from '../web/app'

/**
 * The benchmark of product.md's page targets: the case list and a case page under concurrent load, against a bare
 * Fastify route that makes the same number of database round trips. It prints figures; it asserts nothing.
 * On PostgreSQL it needs a scratch database (it loads the demo data and extra cases into it).
 */
export async function bench(config: Config, options: { cases: number; concurrency: number; seconds: number }) {
  let queries = 0
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: 'memory://',
    poolSize: 20,
    onQuery: () => queries++,
  })
  await migrate(database.db)
  await ensureReferenceData(database.db)
  const services = createServices({ ...config, logLevel: 'silent' }, database)
  const password = 'benchmark-password'
  if (!(await services.accounts.byEmail(demoEmail('investigator', 'avon')))) await loadDemo(services, password)
  const investigator = await services.accounts.byEmail(demoEmail('investigator', 'avon'))
  const ctx = {
    user: { ...investigator!, roles: investigator!.roles },
    purpose: 'Benchmark data',
    correlationId: 'bench',
  }
  process.stdout.write(`Loading ${options.cases} cases...\n`)
  for (let i = 0; i < options.cases; i++) {
    await services.cases.recordReport(ctx, {
      crimeReference: `52/BENCH/${i}`,
      reportedOn: '2026-01-10',
      offences: [{ code: '19C', committedFrom: '2026-01-08' }],
      complainants: [{ name: `Bench Complainant ${i}` }],
      suspects: [{ unknown: true }],
    })
  }

  const app = await buildApp(services)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency })
  const request = (path: string, init: { method?: string; body?: string; cookie?: string } = {}) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: init.method ?? 'GET',
          agent,
          headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}) },
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

  const signIn = await request('/api/v1/session', {
    method: 'POST',
    body: JSON.stringify({ email: investigator!.email, password }),
  })
  const cookie = String(signIn.headers['set-cookie']?.[0] ?? '').split(';')[0]!
  const list = JSON.parse((await request('/api/v1/cases', { cookie })).body) as { items: { id: string }[] }
  const caseId = list.items[0]!.id

  const roundTrips = async (path: string) => {
    queries = 0
    await request(path, { cookie })
    return queries
  }
  const targets = [
    { name: 'case list page (GET /cases)', path: '/cases' },
    { name: 'case page (GET /cases/:id)', path: `/cases/${caseId}` },
  ]

  // The baseline: a bare Fastify route making the same number of round trips, without pages, scope or audit.
  const bare = Fastify({ logger: false })
  bare.get<{ Params: { n: string } }>('/bare/:n', async (req) => {
    for (let i = 0; i < Number(req.params.n); i++) await sql`select 1`.execute(database.db)
    return { ok: true }
  })
  await bare.listen({ port: 0, host: '127.0.0.1' })
  const barePort = (bare.server.address() as AddressInfo).port

  const load = async (path: string, onPort: number, withCookie: boolean) => {
    const latencies: number[] = []
    const deadline = Date.now() + options.seconds * 1000
    let errors = 0
    const worker = async () => {
      while (Date.now() < deadline) {
        const start = performance.now()
        const res = await new Promise<number>((resolve) => {
          const req = http.request(
            { host: '127.0.0.1', port: onPort, path, agent, headers: withCookie ? { cookie } : {} },
            (r) => {
              r.resume()
              r.on('end', () => resolve(r.statusCode ?? 0))
            },
          )
          req.on('error', () => resolve(0))
          req.end()
        })
        latencies.push(performance.now() - start)
        if (res !== 200) errors++
      }
    }
    await Promise.all(Array.from({ length: options.concurrency }, worker))
    latencies.sort((a, b) => a - b)
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1)
    return {
      requests: latencies.length,
      perSecond: latencies.length / options.seconds,
      p50: pct(50),
      p95: pct(95),
      p99: pct(99),
      errors,
    }
  }

  process.stdout.write(
    `\nEngine: ${database.engine}; ${options.concurrency} concurrent clients for ${options.seconds} s per run; load generated in the same process.\n`,
  )
  process.stdout.write(
    'Target (product.md): p95 under 50 ms with 200 concurrent users on PostgreSQL; at least half the bare route throughput.\n\n',
  )
  for (const target of targets) {
    const trips = await roundTrips(target.path)
    const real = await load(target.path, port, true)
    const baseline = await load(`/bare/${trips}`, barePort, false)
    process.stdout.write(
      `${target.name}\n  database round trips per request: ${trips}\n` +
        `  service:  ${real.perSecond.toFixed(0)} req/s, p50 ${real.p50} ms, p95 ${real.p95} ms, p99 ${real.p99} ms, errors ${real.errors}\n` +
        `  bare:     ${baseline.perSecond.toFixed(0)} req/s, p50 ${baseline.p50} ms, p95 ${baseline.p95} ms\n` +
        `  throughput ratio service/bare: ${(real.perSecond / baseline.perSecond).toFixed(2)}\n\n`,
    )
  }
  process.stdout.write(`Resident memory: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB\n`)
  agent.destroy()
  await bare.close()
  await app.close()
  await database.close()
}
