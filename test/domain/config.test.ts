import { describe, expect, it } from 'vitest'
import { ConfigError, DEVELOPMENT_AUDIT_KEY, loadConfig } from '../../src/config'

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

  it('believes X-Forwarded-For only from the proxies named, never from everyone', () => {
    expect(loadConfig({}).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8'])
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/addresses or ranges of the proxies/)
    expect(() => loadConfig({ TRUST_PROXY: '*' })).toThrow(ConfigError)
    for (const everyone of ['0.0.0.0/0', '::/0', '10.0.0.0/7', '2001:db8::/16'])
      expect(() => loadConfig({ TRUST_PROXY: everyone }), everyone).toThrow(ConfigError)
    expect(loadConfig({ TRUST_PROXY: '2001:db8::/48' }).trustProxy).toEqual(['2001:db8::/48'])
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
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://x',
        SESSION_SECRET: 'x'.repeat(40),
        AUDIT_KEY: 'a'.repeat(32),
        PUBLIC_URL: 'https://casebridge.example/',
      }),
    ).toMatchObject({ env: 'production', cookieSecure: true, publicUrl: 'https://casebridge.example' })
  })

  it('refuses to start in production without the https address letters link to; elsewhere uses its own port', () => {
    const secrets = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x',
      SESSION_SECRET: 'x'.repeat(40),
      AUDIT_KEY: 'a'.repeat(32),
    }
    expect(() => loadConfig(secrets)).toThrow(
      new ConfigError('Refusing to start in production without PUBLIC_URL (the address people reach Casebridge at)'),
    )
    expect(() => loadConfig({ ...secrets, PUBLIC_URL: 'http://localhost:3000' })).toThrow(
      /PUBLIC_URL must be the https address/,
    )
    expect(loadConfig({}).publicUrl).toBe('http://localhost:3000')
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080')
    expect(loadConfig({ PORT: '8080', PUBLIC_URL: 'https://staging.example/' }).publicUrl).toBe(
      'https://staging.example',
    )
  })

  it('refuses to start in production without an audit key of at least 32 characters, other than the development one', () => {
    const secrets = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x',
      SESSION_SECRET: 'x'.repeat(40),
      PUBLIC_URL: 'https://casebridge.example',
    }
    expect(() => loadConfig(secrets)).toThrow(new ConfigError('Refusing to start in production without AUDIT_KEY'))
    expect(() => loadConfig({ ...secrets, AUDIT_KEY: 'a'.repeat(31) })).toThrow(/AUDIT_KEY must be at least 32/)
    expect(() => loadConfig({ ...secrets, AUDIT_KEY: DEVELOPMENT_AUDIT_KEY })).toThrow(/not the development key/)
    expect(
      loadConfig({ ...secrets, AUDIT_KEY: 'b'.repeat(32), AUDIT_PREVIOUS_KEYS: 'a'.repeat(32) + ', ' + 'c'.repeat(32) })
        .audit,
    ).toEqual({ key: 'b'.repeat(32), previousKeys: ['a'.repeat(32), 'c'.repeat(32)], checkpointFile: undefined })
    // Outside production a fixed development key, so the chain verifies across restarts and from the CLI.
    expect(loadConfig({}).audit.key).toBe(DEVELOPMENT_AUDIT_KEY)
  })

  it('names a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be a whole number/)
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '0' })).toThrow(/SESSION_IDLE_MINUTES/)
    expect(() => loadConfig({ URN_UNIT: 'ABC' })).toThrow(/URN_UNIT/)
  })

  it('sends email through GOV.UK Notify only with a real-looking key and a template, and finalises on schedule by default', () => {
    const key = 'casebridge-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0'
    const template = 'f33517ff-2a88-4f6e-b855-c550268ce08a'
    expect(loadConfig({})).toMatchObject({ notify: null, scheduledFinalisation: true })
    expect(loadConfig({ SCHEDULED_FINALISATION: 'false' }).scheduledFinalisation).toBe(false)
    expect(loadConfig({ NOTIFY_API_KEY: key, NOTIFY_EMAIL_TEMPLATE_ID: template }).notify).toEqual({
      apiKey: key,
      templateId: template,
      baseUrl: 'https://api.notifications.service.gov.uk',
    })
    expect(() => loadConfig({ NOTIFY_API_KEY: 'not-a-key' })).toThrow(/not a GOV.UK Notify API key/)
    expect(() => loadConfig({ NOTIFY_API_KEY: key })).toThrow(/NOTIFY_EMAIL_TEMPLATE_ID/)
    expect(() =>
      loadConfig({ NOTIFY_API_KEY: key, NOTIFY_EMAIL_TEMPLATE_ID: template, NOTIFY_BASE_URL: 'ftp://x' }),
    ).toThrow(/NOTIFY_BASE_URL/)
  })
})
