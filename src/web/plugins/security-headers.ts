import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import helmet, { type HelmetOptions } from 'helmet'
import type { Config } from '../../config'

/** The one definition of the security headers: every route gets them through @fastify/helmet, early answers below. */
export function helmetOptions(config: Config) {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    hsts: config.env === 'production',
    referrerPolicy: { policy: 'no-referrer' as const },
  } satisfies HelmetOptions
}

/**
 * The same headers as a plain list, for answers made before any route or hook runs (a malformed address, a path
 * parameter over the limit, a request the HTTP parser refuses): helmet is run once against a recording response.
 */
export function staticSecurityHeaders(config: Config): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = [value].flat().join(', ')
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()]
    },
  } as unknown as ServerResponse
  helmet(helmetOptions(config))({} as never, recorder, () => {})
  return { ...headers, 'cache-control': 'no-store' }
}

/**
 * What Node's HTTP parser refuses (a header too large, a malformed request line) never reaches Fastify: answer it in
 * the product's error shape with the security headers, then close the connection.
 */
export function clientErrorHandler(headers: Record<string, string>) {
  return (error: NodeJS.ErrnoException, socket: Socket) => {
    // As Node's own handler: nothing is written where an answer has already begun.
    const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent
    if (!socket.writable || started) return socket.destroy()
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      const body = JSON.stringify({
        error: {
          code: 'request_timeout',
          message: 'The request took too long to arrive',
          fields: { request: 'Send the request again' },
        },
      })
      return socket.end(rawAnswer(408, 'Request Timeout', headers, body))
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW'
    const status = tooLarge ? 431 : 400
    const body = JSON.stringify({
      error: tooLarge
        ? {
            code: 'headers_too_large',
            message: 'The request headers are too large',
            fields: { headers: 'Send smaller headers' },
          }
        : {
            code: 'bad_request',
            message: 'The request could not be read as HTTP',
            fields: { request: 'Send a valid HTTP request' },
          },
    })
    socket.end(rawAnswer(status, tooLarge ? 'Request Header Fields Too Large' : 'Bad Request', headers, body))
  }
}

function rawAnswer(status: number, reason: string, headers: Record<string, string>, body: string): string {
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    ...Object.entries({ ...headers, 'content-type': 'application/json; charset=utf-8', connection: 'close' }).map(
      ([name, value]) => `${name}: ${value}`,
    ),
    `content-length: ${Buffer.byteLength(body)}`,
  ]
  return `${lines.join('\r\n')}\r\n\r\n${body}`
}
