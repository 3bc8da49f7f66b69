/**
 * A local stand-in for the cache service `@actions/cache` v6 talks to on a runner (`ACTIONS_CACHE_SERVICE_V2`): the
 * Twirp JSON API `github.actions.results.api.v1.CacheService` at `ACTIONS_RESULTS_URL` (CreateCacheEntry,
 * FinalizeCacheEntryUpload, GetCacheEntryDownloadURL, with proto field names), and the signed blob URLs it hands out
 * (an Azure Put Blob — or Put Block + Put Block List — upload, a plain GET download). Only the storage is local.
 *
 * Scoping follows GitHub's rule: the runner's `ACTIONS_RUNTIME_TOKEN` (a JWT) carries an `ac` claim listing the cache
 * scopes of the run with a permission each (1 read, 2 write); an entry is written to the run's writable scope (its own
 * ref) and looked up in the readable scopes in order (its own ref, then, for a pull request, the base branch's). A
 * pull request's run can therefore restore what a push to `main` saved, and nothing it saves is visible to `main`.
 * Lookups match `key` exactly, then each restore key as a prefix (newest entry first), per scope; `version` (the
 * paths and compression the archive was made with) must match; entries are immutable.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/';
const READ = 1;
const WRITE = 2;

export interface CacheScope {
  /** A ref, e.g. `refs/heads/main`, `refs/pull/42/merge`. */
  scope: string;
  /** 1 read, 2 write, 3 both. */
  permission: number;
}

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  scope: string;
  /** Order of creation (newer is larger). */
  created: number;
  finalized: boolean;
  sizeBytes?: number;
  blob?: Buffer;
  blocks: Map<string, Buffer>;
  uploadSig: string;
  downloadSig: string;
}

/** The scopes a runner's token grants: a push to `branch`, or a pull request `number` into `base`. */
export function scopesFor(run: { push: string } | { pull: number; base: string }): CacheScope[] {
  if ('push' in run) return [{ scope: `refs/heads/${run.push}`, permission: READ | WRITE }];
  return [
    { scope: `refs/pull/${run.pull}/merge`, permission: READ | WRITE },
    { scope: `refs/heads/${run.base}`, permission: READ },
  ];
}

export class CacheServiceStandIn {
  private server?: Server;
  url = '';
  readonly entries: CacheEntry[] = [];
  /** Every Twirp call: method, the scopes of its token, and the request body. */
  readonly calls: { method: string; scopes: string[]; body: Record<string, unknown> }[] = [];
  private readonly tokens = new Map<string, CacheScope[]>();
  private seq = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => send(res, 500, { code: 'internal', msg: e.message }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A runtime token as the runner issues it (a JWT whose `ac` claim lists the scopes); only tokens issued here are accepted. */
  runtimeToken(scopes: CacheScope[]): string {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const ac = JSON.stringify(scopes.map((s) => ({ Scope: s.scope, Permission: s.permission })));
    const token = `${b64({ typ: 'JWT', alg: 'RS256' })}.${b64({ ac, iss: 'stand-in', nbf: 0 })}.${randomBytes(16).toString('base64url')}`;
    this.tokens.set(token, scopes);
    return token;
  }

  /** The process environment `@actions/cache` reads on a runner with the v2 service. */
  runnerEnv(scopes: CacheScope[]): Record<string, string> {
    return { ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: this.url, ACTIONS_RUNTIME_TOKEN: this.runtimeToken(scopes) };
  }

  /** Finalized entries of a scope whose key starts with `prefix`. */
  visible(scope: string, prefix = ''): CacheEntry[] {
    return this.entries.filter((e) => e.finalized && e.scope === scope && e.key.startsWith(prefix));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    if (url.pathname.startsWith('/blob/')) return this.blob(req, res, url, body);
    if (req.method !== 'POST' || !url.pathname.startsWith(SERVICE)) return send(res, 404, { code: 'bad_route', msg: 'no such route' });
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const scopes = auth ? this.tokens.get(auth[1]!) : undefined;
    if (!scopes) return send(res, 401, { code: 'unauthenticated', msg: 'invalid runtime token' });
    if (!String(req.headers['content-type']).startsWith('application/json')) {
      return send(res, 400, { code: 'malformed', msg: 'expected application/json' });
    }
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return send(res, 400, { code: 'malformed', msg: 'the body is not JSON' });
    }
    const method = url.pathname.slice(SERVICE.length);
    this.calls.push({ method, scopes: scopes.map((s) => s.scope), body: data });
    const key = data.key;
    const version = data.version;
    if (typeof key !== 'string' || key === '' || key.length > 512 || key.includes(',')) {
      return send(res, 400, { code: 'invalid_argument', msg: 'key is invalid' });
    }
    if (typeof version !== 'string' || version === '') return send(res, 400, { code: 'invalid_argument', msg: 'version is required' });
    const writable = scopes.find((s) => s.permission & WRITE)?.scope;
    switch (method) {
      case 'CreateCacheEntry': {
        if (!writable) return send(res, 403, { code: 'permission_denied', msg: 'cache write denied: no writable scope' });
        if (this.entries.some((e) => e.scope === writable && e.key === key && e.version === version)) {
          return send(res, 200, { ok: false, message: 'Cache entry with the same key, version, and scope already exists' });
        }
        const entry: CacheEntry = {
          id: this.entries.length + 1,
          key,
          version,
          scope: writable,
          created: ++this.seq,
          finalized: false,
          blocks: new Map(),
          uploadSig: randomBytes(12).toString('hex'),
          downloadSig: randomBytes(12).toString('hex'),
        };
        this.entries.push(entry);
        return send(res, 200, { ok: true, signed_upload_url: `${this.url}blob/${entry.id}?sp=w&sig=${entry.uploadSig}` });
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = this.entries.find((e) => e.scope === writable && e.key === key && e.version === version && !e.finalized);
        if (!entry?.blob) return send(res, 200, { ok: false, message: 'no uploaded cache entry to finalize' });
        if (String(data.size_bytes) !== String(entry.blob.length)) {
          return send(res, 200, {
            ok: false,
            message: `size ${String(data.size_bytes)} differs from the uploaded ${entry.blob.length} bytes`,
          });
        }
        entry.finalized = true;
        entry.sizeBytes = entry.blob.length;
        return send(res, 200, { ok: true, entry_id: String(entry.id) });
      }
      case 'GetCacheEntryDownloadURL': {
        const restoreKeys = Array.isArray(data.restore_keys) ? data.restore_keys.filter((k): k is string => typeof k === 'string') : [];
        for (const s of scopes.filter((x) => x.permission & READ)) {
          const here = this.entries.filter((e) => e.finalized && e.scope === s.scope && e.version === version);
          const found =
            here.find((e) => e.key === key) ??
            restoreKeys.map((p) => here.filter((e) => e.key.startsWith(p)).sort((a, b) => b.created - a.created)[0]).find(Boolean);
          if (found) {
            return send(res, 200, {
              ok: true,
              signed_download_url: `${this.url}blob/${found.id}?sp=r&sig=${found.downloadSig}`,
              matched_key: found.key,
            });
          }
        }
        return send(res, 200, { ok: false });
      }
      default:
        return send(res, 404, { code: 'bad_route', msg: `no method ${method}` });
    }
  }

  /** The signed blob URLs: Put Blob / Put Block / Put Block List with the upload signature, GET with the download one. */
  private blob(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): boolean {
    const entry = this.entries.find((e) => `/blob/${e.id}` === url.pathname);
    const sig = url.searchParams.get('sig');
    if (!entry) return sendXml(res, 404, 'BlobNotFound');
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (sig !== entry.downloadSig || url.searchParams.get('sp') !== 'r' || !entry.finalized || !entry.blob) {
        return sendXml(res, 403, 'AuthenticationFailed');
      }
      res.writeHead(200, { 'content-length': entry.blob.length, 'content-type': 'application/octet-stream' });
      res.end(req.method === 'GET' ? entry.blob : undefined);
      return true;
    }
    if (req.method !== 'PUT') return sendXml(res, 405, 'UnsupportedHttpVerb');
    if (sig !== entry.uploadSig || url.searchParams.get('sp') !== 'w' || entry.finalized) return sendXml(res, 403, 'AuthenticationFailed');
    const comp = url.searchParams.get('comp');
    if (comp === 'block') {
      entry.blocks.set(url.searchParams.get('blockid') ?? '', body);
    } else if (comp === 'blocklist') {
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map((m) => m[1]!);
      if (ids.some((id) => !entry.blocks.has(id))) return sendXml(res, 400, 'InvalidBlockList');
      entry.blob = Buffer.concat(ids.map((id) => entry.blocks.get(id)!));
    } else {
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob') return sendXml(res, 400, 'MissingRequiredHeader');
      entry.blob = body;
    }
    res.writeHead(201, {
      etag: `"0x${entry.id.toString(16)}${entry.created}"`,
      'last-modified': new Date().toUTCString(),
      'x-ms-request-id': randomBytes(8).toString('hex'),
      'x-ms-version': '2024-11-04',
      'x-ms-request-server-encrypted': 'true',
    });
    res.end();
    return true;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Answers (true: the request is done). */
function send(res: ServerResponse, status: number, body: unknown): boolean {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}

function sendXml(res: ServerResponse, status: number, code: string): boolean {
  const text = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': code, 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}
