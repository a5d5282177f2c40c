'use strict'
/*
 * tests/bench/peer/server.js: a Node peer of ONE endpoint of the jxjy
 * gateway, GET /v1/persons/{id}/compliance?year=Y, for the compliance
 * benchmark (issue 10).  Fastify 5 + pg + @fastify/jwt, node:cluster with
 * one worker per core.  It does the gateway's work for a stored year (token
 * checks of api/auth/auth.c, the revocation check, the query checks of the
 * op, one transaction that sets the claims and reads COMPLIANCE_YEAR under
 * row-level security, the same JSON) the way a Node service usually does it:
 * one pooled client per request, BEGIN / claims / read / COMMIT as four
 * round trips, named prepared statements.  README.md says what it leaves out.
 *
 * Environment: PEER_LISTEN (host:port), PEER_WORKERS, PEER_POOL,
 * JXJY_JWT_SECRET, PGHOST/PGDATABASE/PGUSER (…: what `pg` reads),
 * PEER_SQL_CLAIMS, PEER_SQL_READ.
 */
const cluster = require('node:cluster')
const os = require('node:os')
const crypto = require('node:crypto')

const SKEW = 30 // s: API_AUTH_SKEW
const HEADER_MAX = 8192 // API_AUTH_HEADER_MAX
const TOKEN_CACHE_MAX = 4096 // the gateway's per-worker token cache (api/http/worker.c)
const REVOCATION_MS = 250
const REVOCATION_STALE_MS = 5000 // older than this: 503, never a revoked token let through
const YEAR_MIN = 1990 // API_YEAR_MIN (api/http/op.h)
const YEAR_MAX = 2100
const YEARS = `${YEAR_MIN} to ${YEAR_MAX}`
const NOT_FOUND = "no such person in the caller's jurisdiction" // COMPLIANCE_PERSON_NOT_FOUND

const DEFAULT_SQL_CLAIMS =
  "SELECT pg_catalog.set_config('jxjy.claims', $1, true), pg_catalog.set_config('jxjy.role', $2, true)," +
  " pg_catalog.set_config('jxjy.sub', $3, true), pg_catalog.set_config('jxjy.jur', $4, true)"
// db/stmts/compliance.def COMPLIANCE_YEAR, as tests/bench/stmt_sql prints it
const DEFAULT_SQL_READ =
  "SELECT $2::int, s.rule_set, s.title_level, s.public_verified, s.professional_verified," +
  ' s.public_pending, s.professional_pending, s.required_public, s.required_professional,' +
  " s.compliant, to_char(s.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')," +
  " to_char(coalesce(s.as_of, j.as_of, jxjy.judging_date(p.since, $2::int)), 'YYYY-MM-DD')," +
  ' coalesce(s.title_level, j.title_level, p.title_level),' +
  ' coalesce(s.judged_industry, j.industry, p.industry),' +
  " CASE WHEN rs.id IS NOT NULL THEN json_build_object('id', rs.id, 'name', rs.name," +
  " 'industry', rs.industry, 'effective_from', rs.effective_from, 'effective_to', rs.effective_to) END" +
  ' FROM jxjy.persons p' +
  ' LEFT JOIN jxjy.person_year_summary s ON s.person = p.id AND s.year = $2::int' +
  ' LEFT JOIN jxjy.rule_sets rs ON rs.id = s.rule_set' +
  ' LEFT JOIN LATERAL (SELECT * FROM jxjy._person_judging(p.id, $2::int) ' +
  ' WHERE s.person IS NULL AND jxjy.person_changed(p.id) OFFSET 0) j ON true' +
  ' WHERE p.id = $1::uuid'

function die (msg) {
  process.stderr.write(`jxjy-peer: ${msg}\n`)
  process.exit(1)
}

function config () {
  const listen = process.env.PEER_LISTEN || '127.0.0.1:8090'
  const m = /^(.*):(\d{1,5})$/.exec(listen)
  if (!m || +m[2] > 65535) die(`PEER_LISTEN must be host:port, not "${listen}"`)
  const secret = process.env.JXJY_JWT_SECRET || ''
  if (Buffer.byteLength(secret) < 32) die('JXJY_JWT_SECRET must hold at least 32 bytes')
  const int = (name, def, min, max) => {
    const v = process.env[name]
    if (v === undefined || v === '') return def
    if (!/^\d+$/.test(v) || +v < min || +v > max) die(`${name} must be an integer from ${min} to ${max}`)
    return +v
  }
  return {
    host: m[1].replace(/^\[(.*)\]$/, '$1'),
    port: +m[2],
    secret,
    workers: int('PEER_WORKERS', os.availableParallelism(), 1, 256),
    pool: int('PEER_POOL', 8, 1, 1000),
    sqlClaims: process.env.PEER_SQL_CLAIMS || DEFAULT_SQL_CLAIMS,
    sqlRead: process.env.PEER_SQL_READ || DEFAULT_SQL_READ
  }
}

/* ---- the primary: forks, waits for every worker, says "ready" ----------- */

function primary (cfg) {
  let ready = 0
  let allReady = false
  let stopping = false
  const fork = () => {
    const w = cluster.fork()
    w.on('message', (msg) => {
      if (msg !== 'ready') return
      w.peerReady = true
      if (allReady) {
        w.send('all-ready')
        return
      }
      if (++ready === cfg.workers) {
        allReady = true
        for (const id in cluster.workers) cluster.workers[id].send('all-ready')
        process.stderr.write(`jxjy-peer: ready on ${cfg.host}:${cfg.port} (${cfg.workers} workers x ${cfg.pool} connections)\n`)
      }
    })
  }
  cluster.on('exit', (w, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers).length === 0) process.exit(0)
      return
    }
    if (!w.peerReady) die(`a worker failed to start (exit ${code ?? signal})`)
    process.stderr.write(`jxjy-peer: worker ${w.process.pid} died (${code ?? signal}); forking another\n`)
    fork()
  })
  const stop = () => {
    if (stopping) return
    stopping = true
    const left = Object.values(cluster.workers)
    if (left.length === 0) process.exit(0)
    for (const w of left) w.process.kill('SIGTERM')
    setTimeout(() => {
      for (const w of Object.values(cluster.workers)) w.process.kill('SIGKILL')
      process.exit(0)
    }, 5000).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  for (let i = 0; i < cfg.workers; i++) fork()
}

/* ---- helpers shared with the gateway's rules ----------------------------- */

const ROLES = {
  city_bureau: null,
  district_bureau: 'district',
  industry_authority: 'industry',
  unit: 'unit',
  base: 'base',
  person: 'person'
}
const ROUTE_ROLES = new Set(['city_bureau', 'district_bureau', 'industry_authority', 'unit', 'person'])
const LEVELS = new Set(['senior_full', 'senior_deputy', 'intermediate', 'junior_assistant', 'junior_member'])
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const TOKEN_CHARS = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/

// api_role_jur_valid
function jurValid (role, v) {
  switch (role) {
    case 'city_bureau': return true
    case 'district_bureau': return /^[0-9]{6}$/.test(v)
    case 'industry_authority': return v.length <= 32 && /^[a-z0-9_]+$/.test(v)
    default: return UUID.test(v)
  }
}

// str_claim: a non-empty string of fewer than max bytes without NUL
function strClaim (g, name, max) {
  const v = g[name]
  if (typeof v !== 'string' || v.length === 0 || v.includes('\0') || Buffer.byteLength(v) >= max) return null
  return v
}

// check_claims, in the gateway's order; returns the claims or the reason
function checkClaims (g, now) {
  if (g === null || typeof g !== 'object' || Array.isArray(g)) return 'malformed claims'
  if (!Number.isInteger(g.exp)) return 'exp missing or not an integer'
  if (!Number.isInteger(g.iat)) return 'iat missing or not an integer'
  if (g.nbf !== undefined && !Number.isInteger(g.nbf)) return 'nbf not an integer'
  if (g.exp <= now - SKEW) return 'token expired'
  if ((g.nbf !== undefined && g.nbf > now + SKEW) || g.iat > now + SKEW) return 'token not yet valid'
  if (g.iss !== 'jxjy') return 'wrong issuer'
  const aud = g.aud
  if (!(aud === 'jxjy-api' || (Array.isArray(aud) && aud.includes('jxjy-api')))) return 'wrong audience'
  const role = strClaim(g, 'role', 32)
  if (role === null || !Object.hasOwn(ROLES, role)) return 'unknown role'
  const sub = strClaim(g, 'sub', 64)
  if (sub === null) return 'sub missing'
  const jti = strClaim(g, 'jti', 64)
  if (jti === null) return 'jti missing'
  const claim = ROLES[role]
  let jur = ''
  if (claim) {
    jur = strClaim(g, claim, 64)
    if (jur === null || !jurValid(role, jur)) return 'jurisdiction claim missing or malformed'
  }
  return { exp: g.exp, role, sub, jti, claim, jur }
}

// the query string as evhttp_parse_query_str reads it: pairs, or null
function parseQuery (qs) {
  const out = []
  if (qs === '') return out
  for (const piece of qs.split('&')) {
    const eq = piece.indexOf('=')
    if (eq <= 0) return null
    out.push([uriDecode(piece.slice(0, eq)), uriDecode(piece.slice(eq + 1))])
  }
  return out
}

// evhttp_decode_uri with '+' as a space: a bad %xx stays as it is
function uriDecode (s) {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s
  s = s.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(s)
  } catch {
    return s.replace(/%([0-9a-fA-F]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16)))
  }
}

function queryGet (pairs, name) {
  for (const [k, v] of pairs) if (k === name) return v
  return undefined
}

// API_PARAM_YEAR: four digits, YEAR_MIN..YEAR_MAX
function yearOk (v) {
  return /^[0-9]{4}$/.test(v) && +v >= YEAR_MIN && +v <= YEAR_MAX
}

// api_lang_negotiate (api/domain/reasons.c): 'en' or 'zh'
function qvalue (s) {
  if (s.length === 0 || (s[0] !== '0' && s[0] !== '1')) return -1
  let v = (s.charCodeAt(0) - 48) * 1000
  if (s.length === 1) return v
  if (s[1] !== '.' || s.length > 5) return -1
  const mul = [100, 10, 1]
  for (let i = 2; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return -1
    v += (c - 48) * mul[i - 2]
  }
  return v <= 1000 ? v : -1
}

const OWS = (c) => c === ' ' || c === '\t'

// one element: [lang (0 zh, 1 en, 2 '*', -1 unknown or malformed), weight]
function langElement (e) {
  let s = 0
  while (s < e.length && OWS(e[s])) s++
  let t = s
  while (t < e.length && /[A-Za-z0-9*-]/.test(e[t])) t++
  if (t === s) return [-1, 0]
  const range = e.slice(s, t)
  const dash = range.indexOf('-')
  const primary = dash >= 0 ? range.slice(0, dash) : range
  let lang = -1
  if (range === '*') lang = 2
  else if (primary.length === 2 && primary.toLowerCase() === 'zh') lang = 0
  else if (primary.length === 2 && primary.toLowerCase() === 'en') lang = 1
  let weight = 1000
  let p = t
  while (p < e.length) {
    while (p < e.length && OWS(e[p])) p++
    if (p === e.length) break
    if (e[p] !== ';') return [-1, 0]
    p++
    while (p < e.length && OWS(e[p])) p++
    const name = p
    let next = e.indexOf(';', p)
    if (next < 0) next = e.length
    const val = e.indexOf('=', p)
    if (val < 0 || val >= next) return [-1, 0]
    if (val - name === 1 && (e[name] === 'q' || e[name] === 'Q')) {
      let ve = next
      while (ve > val + 1 && OWS(e[ve - 1])) ve--
      weight = qvalue(e.slice(val + 1, ve))
      if (weight < 0) return [-1, 0]
    }
    p = next
  }
  return [lang, weight]
}

function negotiate (h) {
  if (h === undefined) return 'zh'
  const q = [-1, -1, -1]
  const pos = [0, 0, 0]
  const parts = h.split(',')
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '' && i > 0) break
    const [lang, w] = langElement(parts[i])
    if (lang >= 0 && w > q[lang]) {
      q[lang] = w
      pos[lang] = i
    }
  }
  for (let i = 0; i < 2; i++) {
    if (q[i] < 0 && q[2] >= 0) {
      q[i] = q[2]
      pos[i] = pos[2]
    }
  }
  if (q[0] <= 0 && q[1] <= 0) return q[0] === 0 && q[1] < 0 ? 'en' : 'zh'
  if (q[1] !== q[0]) return q[1] > q[0] ? 'en' : 'zh'
  return pos[1] < pos[0] ? 'en' : 'zh'
}

// db_result_hours: "12.5" → 125 tenths; NaN when not a number of hours
function tenths (v) {
  if (typeof v === 'number') v = String(v)
  const m = typeof v === 'string' ? /^(-?)(\d+)(?:\.(\d)0*)?$/.exec(v) : null
  if (!m) return NaN
  const t = Number(m[2]) * 10 + (m[3] ? m[3].charCodeAt(0) - 48 : 0)
  if (t > 2147483647) return NaN
  return m[1] ? -t : t
}

// core_hours_format, which is also how jansson prints tenths/10.0 with 15 digits
function hours (t) {
  const a = t < 0 ? -t : t
  return `${t < 0 ? '-' : ''}${Math.floor(a / 10)}.${a % 10}`
}

function shortfallMessage (lang, pub, year, req, got, miss) {
  if (lang === 'zh') {
    return `${year}年${pub ? '公共科目' : '专业科目'}学时不足：要求 ${req} 学时，已完成 ${got} 学时，差 ${miss} 学时（R-5）`
  }
  return `${year}: ${pub ? 'public' : 'professional'} hours short: ${req} required, ${got} earned, ${miss} missing (R-5)`
}

function reasonJson (lang, pub, year, level, required, earned, short) {
  const rq = hours(required)
  const er = hours(earned)
  const sh = hours(short)
  return `{"code":"${pub ? 'public_short' : 'professional_short'}","rule":"R-5","year":${year},` +
    `"first_year":${year},"last_year":${year},"title_level":"${level}","required":${rq},` +
    `"earned":${er},"shortfall":${sh},"message":${JSON.stringify(shortfallMessage(lang, pub, year, rq, er, sh))}}`
}

/* ---- a worker: Fastify, a pool, the revocation list ----------------------- */

async function worker (cfg) {
  const Fastify = require('fastify')
  const { Pool, Client } = require('pg')

  const pid = process.pid.toString(16)
  let seq = 0
  let clusterReady = false
  process.on('message', (m) => { if (m === 'all-ready') clusterReady = true })

  const pool = new Pool({ max: cfg.pool, connectionTimeoutMillis: 2000, idleTimeoutMillis: 0 })
  pool.on('error', () => {}) // an idle client lost: the pool drops it

  /* revocations: loaded before listening, refreshed every 250 ms */
  const revoked = new Set()
  let revSeq = 0n
  let revAt = 0 // Date.now() of the last successful refresh
  let revClient = null
  const revQuery = 'SELECT seq, jti FROM jxjy.revocations_since($1)'
  async function refresh () {
    if (!revClient) {
      const c = new Client()
      c.on('error', () => {})
      await c.connect()
      revClient = c
    }
    try {
      const r = await revClient.query({ name: 'peer_revocations', text: revQuery, values: [revSeq.toString()], rowMode: 'array' })
      for (const [s, jti] of r.rows) {
        revoked.add(jti)
        const b = BigInt(s)
        if (b > revSeq) revSeq = b
      }
      revAt = Date.now()
    } catch (e) {
      const c = revClient
      revClient = null
      c.end().catch(() => {})
      throw e
    }
  }
  let stopped = false
  let revTimer = null
  const loop = () => {
    revTimer = setTimeout(() => {
      refresh().catch((e) => {
        process.stderr.write(`jxjy-peer[${process.pid}]: revocation refresh failed: ${e.message}\n`)
      }).finally(() => { if (!stopped) loop() })
    }, REVOCATION_MS)
  }
  await refresh()
  loop()

  const app = Fastify({
    logger: false,
    exposeHeadRoutes: false,
    keepAliveTimeout: 30000, // JXJY_IDLE_TIMEOUT
    requestTimeout: 15000, // JXJY_REQUEST_DEADLINE
    return503OnClosing: true,
    routerOptions: { querystringParser: parseQuery }
  })
  await app.register(require('@fastify/jwt'), {
    secret: cfg.secret,
    verify: { algorithms: ['HS256'], allowedIss: 'jxjy', allowedAud: 'jxjy-api', ignoreExpiration: true, ignoreNotBefore: true, cache: false }
  })

  function send (reply, rid, status, type, body) {
    reply.code(status)
    reply.header('Content-Type', type)
    reply.header('X-Request-Id', rid)
    reply.header('Cache-Control', 'no-store')
    reply.header('X-Content-Type-Options', 'nosniff')
    // a Buffer: Fastify adds no "; charset=utf-8" to the gateway's media types
    return reply.send(Buffer.from(body))
  }
  const SLUGS = { 400: 'bad-request', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 405: 'method-not-allowed', 409: 'conflict', 422: 'validation', 503: 'unavailable' }
  function problem (reply, rid, status, title, detail) {
    if (status === 503) reply.header('Retry-After', '1')
    const body = `{"type":"urn:jxjy:problem:${SLUGS[status] || 'internal'}","title":${JSON.stringify(title)},` +
      `"status":${status},"detail":${JSON.stringify(detail)},"request_id":${JSON.stringify(rid)}}`
    return send(reply, rid, status, 'application/problem+json', body)
  }
  function unauthorized (reply, rid, why, headerGiven) {
    reply.header('WWW-Authenticate', headerGiven
      ? `Bearer realm="jxjy", error="invalid_token", error_description="${why}"`
      : 'Bearer realm="jxjy"')
    return problem(reply, rid, 401, 'Unauthorized', why)
  }

  // libjwt verifies an HMAC token under the header's alg before the gateway pins HS256: on
  // fast-jwt's refusals that come first (alg, payload) this says which HMAC alg holds, or null
  const key = Buffer.from(cfg.secret)
  const HMACS = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }
  function hmacHolds (tok) {
    const dot = tok.lastIndexOf('.')
    let alg
    try {
      alg = JSON.parse(Buffer.from(tok.slice(0, tok.indexOf('.')), 'base64url').toString()).alg
    } catch {
      return null
    }
    if (!Object.hasOwn(HMACS, alg)) return null
    const want = crypto.createHmac(HMACS[alg], key).update(tok.slice(0, dot)).digest()
    const got = Buffer.from(tok.slice(dot + 1), 'base64url')
    return got.length === want.length && crypto.timingSafeEqual(got, want) ? alg : null
  }

  /* the token cache of api_auth_verify: verified claims by token, exp re-checked on a hit */
  const tokenCache = new Map()
  function verifyToken (header, now) {
    if (header === undefined) return 'missing bearer token'
    if (Buffer.byteLength(header) > HEADER_MAX) return 'authorization header too large'
    if (header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ') return 'missing bearer token'
    const tok = header.slice(7)
    if (!TOKEN_CHARS.test(tok)) return 'malformed token'
    const hit = tokenCache.get(tok)
    if (hit !== undefined) return hit.exp <= now - SKEW ? 'token expired' : hit
    let payload
    try {
      payload = app.jwt.verify(tok)
    } catch (e) {
      switch (e.code) {
        case 'FAST_JWT_INVALID_ALGORITHM':
          return hmacHolds(tok) ? 'algorithm not allowed' : 'bad signature or malformed token'
        case 'FAST_JWT_INVALID_CLAIM_TYPE':
        case 'FAST_JWT_INVALID_CLAIM_VALUE': {
          // iss or aud refused after the signature held: the gateway's order decides the words
          const why = checkClaims(app.jwt.decode(tok), now)
          return typeof why === 'string' ? why : 'malformed claims'
        }
        case 'FAST_JWT_INVALID_PAYLOAD':
          // not a JSON object: libjwt decodes it when the signature holds; then alg, then the claims
          switch (hmacHolds(tok)) {
            case null: return 'bad signature or malformed token'
            case 'HS256': return 'malformed claims'
            default: return 'algorithm not allowed'
          }
        default: return 'bad signature or malformed token'
      }
    }
    const c = checkClaims(payload, now)
    if (typeof c === 'string') return c
    if (tokenCache.size >= TOKEN_CACHE_MAX) tokenCache.delete(tokenCache.keys().next().value)
    tokenCache.set(tok, c)
    return c
  }

  // the headers check_headers watches: at most once each; X-Request-Id well-formed
  const WATCHED = ['authorization', 'idempotency-key', 'x-request-id', 'content-type']
  function headersBad (raw) {
    const seen = [false, false, false, false]
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i]
      if (k.length === 0) return 'empty header name'
      if (k.length < 12 || k.length > 15) continue
      const j = WATCHED.indexOf(k.toLowerCase())
      if (j < 0) continue
      if (seen[j]) return 'repeated header'
      seen[j] = true
    }
    return null
  }
  const ID_CHARS = /^[A-Za-z0-9._-]*$/
  function requestIdBad (v) {
    if (v.length === 0 || v.length > 64) return 'X-Request-Id must be 1 to 64 characters'
    if (!ID_CHARS.test(v)) return "X-Request-Id may hold only letters, digits, '-', '_' and '.'"
    return null
  }
  function idempotencyKeyBad (v) {
    if (v.length === 0 || v.length > 255) return 'Idempotency-Key must be 1 to 255 characters'
    if (!/^[\x21-\x7e]*$/.test(v)) return 'Idempotency-Key may hold only visible ASCII characters'
    return null
  }

  const UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '53400'])
  function dbError (reply, rid, e) {
    const s = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : ''
    if (s === '' || s.startsWith('08') || UNAVAILABLE.has(s)) {
      process.stderr.write(`jxjy-peer[${process.pid}] ${rid}: database unavailable: ${e.message}\n`)
      return problem(reply, rid, 503, 'Service unavailable', 'the database is unavailable; retry shortly')
    }
    if (s === 'JX401') return unauthorized(reply, rid, 'token revoked', true)
    if (s === 'JX403' || s === '42501') return problem(reply, rid, 403, 'Forbidden', "this action is outside the caller's rights")
    if (s === 'JX404' || s === 'P0002') return problem(reply, rid, 404, 'Not found', "no such resource in the caller's jurisdiction")
    if (s === '40001' || s === '40P01') return problem(reply, rid, 409, 'Conflict', 'a concurrent change won; retry the request')
    if (s === '57014') return problem(reply, rid, 503, 'Service unavailable', 'the request took too long; retry shortly')
    if (s === 'JX422' || s.startsWith('22') || s.startsWith('23')) return problem(reply, rid, 422, 'Validation failed', 'a value was refused by a constraint')
    process.stderr.write(`jxjy-peer[${process.pid}] ${rid}: database error ${s}: ${e.message}\n`)
    return problem(reply, rid, 500, 'Internal error', 'the request failed; quote the request id')
  }

  // the read's row (columns of COMPLIANCE_YEAR) as the gateway's 200 body; null: unreadable
  function render (person, row, lang) {
    const [year, ruleSet, level, pubV, proV, pubP, proP, reqPub, reqPro, compliant, decidedAt,
      asOf, basisLevel, basisIndustry, basisRuleSet] = row
    const ep = tenths(pubV)
    const eq = tenths(proV)
    const pp = tenths(pubP)
    const pq = tenths(proP)
    const rp = tenths(reqPub)
    const rq = tenths(reqPro)
    if (!Number.isInteger(year) || typeof ruleSet !== 'string' || !LEVELS.has(level) ||
        !LEVELS.has(basisLevel) || typeof asOf !== 'string' || typeof compliant !== 'boolean' ||
        typeof decidedAt !== 'string' || Number.isNaN(ep + eq + pp + pq + rp + rq)) return null
    const sp = rp > ep ? rp - ep : 0
    const sq = rq > eq ? rq - eq : 0
    let reasons = ''
    if (sp > 0) reasons = reasonJson(lang, true, year, level, rp, ep, sp)
    if (sq > 0) reasons += (reasons ? ',' : '') + reasonJson(lang, false, year, level, rq, eq, sq)
    const rs = basisRuleSet === null || basisRuleSet === undefined ? 'null' : JSON.stringify(basisRuleSet)
    return `{"person":${JSON.stringify(person)},"year":${year},"rule_set":${JSON.stringify(ruleSet)},` +
      `"title_level":"${level}","required":{"public":${hours(rp)},"professional":${hours(rq)},"total":${hours(rp + rq)}},` +
      `"earned":{"public":${hours(ep)},"professional":${hours(eq)},"total":${hours(ep + eq)}},` +
      `"pending":{"public":${hours(pp)},"professional":${hours(pq)}},"compliant":${compliant},` +
      `"shortfall":{"public":${hours(sp)},"professional":${hours(sq)}},"decided_at":${JSON.stringify(decidedAt)},` +
      `"basis":{"title_level":"${basisLevel}","industry":${basisIndustry === null ? 'null' : JSON.stringify(basisIndustry)},` +
      `"as_of":${JSON.stringify(asOf)},"rule_set":${rs}},"reasons":[${reasons}]}`
  }

  const PREFIX = '/v1/persons/'
  const SUFFIX = '/compliance'
  const KNOWN_QUERY = new Set(['year', 'from', 'to'])

  app.get('/v1/persons/:id/compliance', async (request, reply) => {
    const req = request.raw
    const ownId = `${pid}-${(++seq).toString(16)}`
    let rid = ownId
    const hbad = headersBad(req.rawHeaders)
    if (hbad) return problem(reply, rid, 400, 'Bad request header', hbad)
    const xrid = req.headers['x-request-id']
    if (xrid !== undefined) {
      const bad = requestIdBad(xrid)
      if (bad) return problem(reply, rid, 400, 'Bad request header', bad)
      rid = xrid
    }
    const ikey = req.headers['idempotency-key']
    if (ikey !== undefined) {
      const bad = idempotencyKeyBad(ikey)
      if (bad) return problem(reply, rid, 400, 'Bad request header', bad)
    }
    const url = req.url
    const qi = url.indexOf('?')
    const path = qi < 0 ? url : url.slice(0, qi)
    const query = request.query // parseQuery's pairs, or null
    if (query === null) return problem(reply, rid, 400, 'Bad query', 'the query string is malformed')

    /* authenticate, authorize */
    const auth = req.headers.authorization
    const now = Math.floor(Date.now() / 1000)
    const c = verifyToken(auth, now)
    if (typeof c === 'string') return unauthorized(reply, rid, c, auth !== undefined)
    if (!ROUTE_ROLES.has(c.role)) return problem(reply, rid, 403, 'Forbidden', 'this role may not perform this action')
    if ((req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') ||
        req.headers['transfer-encoding'] !== undefined) {
      return problem(reply, rid, 400, 'Unexpected body', 'this request takes no body')
    }

    /* the op: query names, the path id, the query values, the years */
    for (const [k] of query) {
      if (!KNOWN_QUERY.has(k)) return problem(reply, rid, 400, 'Bad query', `unknown query parameter "${k.slice(0, 80)}"`)
    }
    const person = path.slice(PREFIX.length, path.length - SUFFIX.length)
    if (!UUID.test(person)) return problem(reply, rid, 404, 'Not found', NOT_FOUND)
    const year = queryGet(query, 'year')
    const from = queryGet(query, 'from')
    const to = queryGet(query, 'to')
    if (year !== undefined && !yearOk(year)) return problem(reply, rid, 400, 'Bad query', `year must be a year from ${YEARS}`)
    if ((from !== undefined && !yearOk(from)) || (to !== undefined && !yearOk(to))) {
      return problem(reply, rid, 400, 'Bad query', `from and to must be years from ${YEARS}`)
    }
    if (year !== undefined && (from !== undefined || to !== undefined)) return problem(reply, rid, 400, 'Bad query', 'give either year or from and to')
    if (year === undefined) {
      if (from === undefined || to === undefined) return problem(reply, rid, 400, 'Bad query', 'year (or from and to) is required')
      return problem(reply, rid, 501, 'Not implemented', 'the peer answers ?year= only')
    }

    /* revocation (the gateway's set_claims does it in the transaction) */
    if (Date.now() - revAt > REVOCATION_STALE_MS) return problem(reply, rid, 503, 'Service unavailable', 'the database is unavailable; retry shortly')
    if (revoked.has(c.jti)) return unauthorized(reply, rid, 'token revoked', true)

    const lang = negotiate(req.headers['accept-language'])
    const claims = { sub: c.sub, role: c.role, jti: c.jti, request_id: rid === ownId ? ownId : `${ownId}:${rid}` }
    if (c.claim) claims[c.claim] = c.jur

    let client
    try {
      client = await pool.connect()
    } catch (e) {
      return dbError(reply, rid, e)
    }
    let row
    let broken = null
    try {
      await client.query('BEGIN')
      await client.query({ name: 'peer_claims', text: cfg.sqlClaims, values: [JSON.stringify(claims), c.role, c.sub, c.jur], rowMode: 'array' })
      const r = await client.query({ name: 'peer_read', text: cfg.sqlRead, values: [person, year], rowMode: 'array' })
      row = r.rows.length > 0 ? r.rows[0] : null
      await client.query('COMMIT')
    } catch (e) {
      broken = e
      try {
        await client.query('ROLLBACK')
      } catch {}
    } finally {
      // a connection-level failure drops the client; a statement error keeps it
      client.release(broken && typeof broken.code !== 'string' ? broken : undefined)
    }
    if (broken) return dbError(reply, rid, broken)

    if (row === null) return problem(reply, rid, 404, 'Not found', NOT_FOUND)
    if (row[1] === null) {
      return problem(reply, rid, 501, 'Not implemented',
        'no stored decision for the year: the gateway decides it with zero hours, the peer does not')
    }
    const body = render(person, row, lang)
    if (body === null) {
      process.stderr.write(`jxjy-peer[${process.pid}] ${rid}: unreadable row\n`)
      return problem(reply, rid, 500, 'Internal error', 'the request failed; quote the request id')
    }
    reply.header('Content-Language', lang === 'en' ? 'en' : 'zh-CN')
    reply.header('Vary', 'Accept-Language')
    return send(reply, rid, 200, 'application/json', body)
  })

  app.route({
    method: ['POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/v1/persons/:id/compliance',
    handler: (request, reply) => {
      reply.header('Allow', 'GET')
      return problem(reply, `${pid}-${(++seq).toString(16)}`, 405, 'Method not allowed', 'this resource does not accept the method')
    }
  })
  app.get('/livez', (request, reply) => send(reply, `${pid}-${(++seq).toString(16)}`, 200, 'application/json', '{"status":"ok"}'))
  app.get('/readyz', (request, reply) => {
    const rid = `${pid}-${(++seq).toString(16)}`
    if (!clusterReady || Date.now() - revAt > REVOCATION_STALE_MS) {
      return problem(reply, rid, 503, 'Service unavailable', 'the peer is not ready')
    }
    return send(reply, rid, 200, 'application/json', '{"status":"ready"}')
  })
  app.setNotFoundHandler((request, reply) =>
    problem(reply, `${pid}-${(++seq).toString(16)}`, 404, 'Not found', 'no resource at this path'))
  app.setErrorHandler((err, request, reply) => {
    const rid = `${pid}-${(++seq).toString(16)}`
    if (err.statusCode >= 400 && err.statusCode < 500) return problem(reply, rid, 400, 'Bad request', err.message)
    process.stderr.write(`jxjy-peer[${process.pid}] ${rid}: ${err.stack || err}\n`)
    return problem(reply, rid, 500, 'Internal error', 'the request failed; quote the request id')
  })

  await app.listen({ host: cfg.host, port: cfg.port })
  const stop = async () => {
    if (stopped) return
    stopped = true
    setTimeout(() => process.exit(0), 3000).unref() // in-flight requests get 3 s
    clearTimeout(revTimer)
    try { await app.close() } catch {}
    try { await pool.end() } catch {}
    if (revClient) try { await revClient.end() } catch {}
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', () => {}) // the primary decides; Ctrl-C reaches the whole group
  process.send('ready')
}

const cfg = config()
if (cluster.isPrimary) {
  primary(cfg)
} else {
  worker(cfg).catch((e) => die(`worker ${process.pid}: ${e.message}`))
}
