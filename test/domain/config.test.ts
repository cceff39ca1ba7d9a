import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config'

describe('configuration', () => {
  it('has a working default for everything outside production', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      databaseUrl: undefined,
      sessionIdleMinutes: 30,
      urnUnit: 'RS',
      cookieSecure: false,
    })
    expect(config.dataDir).toMatch(/\.casebridge$/)
  })

  it('refuses to start in production without the secrets, naming what is missing', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      new ConfigError('Refusing to start in production without SESSION_SECRET and DATABASE_URL'),
    )
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) })).toThrow(/without DATABASE_URL/)
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x' })).toThrow(/without SESSION_SECRET/)
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x', SESSION_SECRET: 'short' })).toThrow(
      /at least 32/,
    )
    expect(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x', SESSION_SECRET: 'x'.repeat(40) }),
    ).toMatchObject({ env: 'production', cookieSecure: true })
  })

  it('names a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be a whole number/)
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '0' })).toThrow(/SESSION_IDLE_MINUTES/)
    expect(() => loadConfig({ URN_UNIT: 'ABC' })).toThrow(/URN_UNIT/)
  })
})
