/**
 * A GitHub REST API emulator for tests: an HTTP server on 127.0.0.1 (ephemeral port) that keeps state (issue/PR
 * comments, check runs, pull requests) and checks every exchange against GitHub's OpenAPI description:
 *
 * - unknown routes → 404, a known path with another method → 404 (as GitHub does);
 * - path parameters of the wrong type → 404; bad query parameters or JSON bodies → 422 with GitHub's
 *   `validation-error` shape; unparsable JSON → 400 "Problems parsing JSON";
 * - every response it sends is validated against the schema documented for that status (`basic-error` for error
 *   statuses an operation does not document); a mismatch is an emulator bug, recorded in `violations`.
 *
 * Tokens decide who is calling and whether writes are allowed (a fork PR's read-only GITHUB_TOKEN gets GitHub's
 * 403 "Resource not accessible by integration"). Faults can be queued per test: a status once (500 then success),
 * a secondary rate limit with `retry-after`, anything else; `before()` runs a test's action (e.g. a person deleting
 * a comment, or a barrier that lines two runs up) just before an operation is carried out.
 *
 * GraphQL (`POST /graphql`, `/api/graphql` under GHES's `/api/v3`) is not in the OpenAPI description: it is served
 * by graphql-js on GitHub's published schema (`@octokit/graphql-schema`), so a query or mutation GitHub would
 * refuse is refused here with GitHub's error shape; only what the Action uses has data behind it
 * (`minimizeComment`, and `nodes(ids:)` on issue comments): any other field asked for is recorded in `violations`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { executeGraphql, type GraphqlData } from './graphql.js';
import { formatErrors, githubOpenApi, type GitHubOpenApi, type Operation, type Parameter } from './openapi.js';

type Json = Record<string, unknown>;

export interface TokenInfo {
  login: string;
  id: number;
  type: 'Bot' | 'User';
  /** Installation tokens (GITHUB_TOKEN) cannot call GET /user. */
  kind: 'installation' | 'user';
  /** false = GitHub's read-only token for fork pull requests. */
  canWrite: boolean;
}

export interface PullRequestState {
  number: number;
  headSha: string;
  headRef: string;
  /** `owner/name` the head branch lives in (the fork, for a fork PR). */
  headRepo: string;
  baseRef: string;
  baseSha: string;
  title: string;
}

export interface CommentState {
  id: number;
  issueNumber: number;
  body: string;
  user: TokenInfo;
  createdAt: string;
  updatedAt: string;
  /** Set by the GraphQL `minimizeComment` mutation: GitHub's classifier, e.g. `OUTDATED`. */
  minimizedAs?: string;
}

/** A plain issue (not a pull request). */
export interface IssueState {
  number: number;
  title: string;
  body: string;
}

export interface LabelState {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface CheckRunState {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: Json[] };
  /** Every request that changed it, in order (for asserting batching). */
  history: Json[];
}

export interface Fault {
  method?: string;
  /** operationId (e.g. `issues/create-comment`) or path template; any when absent. */
  operation?: string;
  /** How many matching requests it answers; then it is spent. */
  times: number;
  status: number;
  headers?: Record<string, string>;
  body?: Json;
}

/** GitHub's secondary rate-limit answer: 403 with `retry-after` (seconds) and its documented message. */
export function secondaryRateLimit(operation: string, retryAfterSeconds = 1): Fault {
  return {
    operation,
    times: 1,
    status: 403,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
  };
}

export interface LoggedRequest {
  method: string;
  path: string;
  operationId?: string;
  status: number;
  /** Why a request was refused as invalid (404 unknown route, 400/422 validation). */
  rejected?: string;
  injected?: boolean;
  at: number;
}

export interface EmulatorOptions {
  owner?: string;
  repo?: string;
  /** Serve under a prefix, like GitHub Enterprise Server's `/api/v3`. */
  prefix?: string;
}

const DOCS = 'https://docs.github.com/rest';
const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Json = {},
  ) {
    super(message);
  }
}

export class GitHubEmulator {
  readonly api: GitHubOpenApi;
  readonly owner: string;
  readonly repo: string;
  readonly prefix: string;
  readonly tokens = new Map<string, TokenInfo>();
  readonly pulls = new Map<number, PullRequestState>();
  readonly issues = new Map<number, IssueState>();
  /** Repository labels by lower-cased name (GitHub's label names are case-insensitive). */
  readonly labels = new Map<string, LabelState>();
  /** Label names on each issue or pull request. */
  readonly issueLabels = new Map<number, string[]>();
  readonly comments: CommentState[] = [];
  readonly checkRuns: CheckRunState[] = [];
  readonly faults: Fault[] = [];
  private readonly hooks: { operation: string; fn: () => void | Promise<void> }[] = [];
  readonly requests: LoggedRequest[] = [];
  /** Responses of ours that did not match the description: must stay empty. */
  readonly violations: string[] = [];
  private server?: Server;
  private nextId = 1_000_000;
  private port = 0;

  constructor(options: EmulatorOptions = {}) {
    this.api = githubOpenApi();
    this.owner = options.owner ?? 'octo-org';
    this.repo = options.repo ?? 'wasm-app';
    this.prefix = (options.prefix ?? '').replace(/\/+$/, '');
  }

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** The base URL to give as GITHUB_API_URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${this.prefix}`;
  }

  /** `/graphql`, or `/api/graphql` beside GHES's `/api/v3`. */
  private get graphqlPath(): string {
    return this.prefix.endsWith('/v3') ? `${this.prefix.slice(0, -3)}/graphql` : `${this.prefix}/graphql`;
  }

  /** What to give as GITHUB_GRAPHQL_URL. */
  get graphqlUrl(): string {
    return `http://127.0.0.1:${this.port}${this.graphqlPath}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  addToken(token: string, info: Partial<TokenInfo> = {}): TokenInfo {
    const t: TokenInfo = {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
      kind: 'installation',
      canWrite: true,
      ...info,
    };
    this.tokens.set(token, t);
    return t;
  }

  addPullRequest(pr: Partial<PullRequestState> & { number: number; headSha: string }): PullRequestState {
    const full: PullRequestState = {
      headRef: `feature-${pr.number}`,
      headRepo: this.fullName,
      baseRef: 'main',
      baseSha: 'b'.repeat(40),
      title: `Pull request ${pr.number}`,
      ...pr,
    };
    this.pulls.set(full.number, full);
    return full;
  }

  addIssue(issue: Partial<IssueState> & { number: number }): IssueState {
    const full: IssueState = { title: `Issue ${issue.number}`, body: '', ...issue };
    this.issues.set(full.number, full);
    return full;
  }

  addLabel(name: string, color = 'ededed', description: string | null = null): LabelState {
    const l: LabelState = { id: this.nextId++, name, color, description };
    this.labels.set(name.toLowerCase(), l);
    return l;
  }

  labelsOn(issueNumber: number): string[] {
    return this.issueLabels.get(issueNumber) ?? [];
  }

  /** Adds a comment as if someone had posted it (for pagination and "other people's comments" tests). */
  seedComment(issueNumber: number, body: string, user: Partial<TokenInfo> = {}): CommentState {
    const c: CommentState = {
      id: this.nextId++,
      issueNumber,
      body,
      user: { login: 'octocat', id: 583231, type: 'User', kind: 'user', canWrite: true, ...user },
      createdAt: nowIso(),
      updatedAt: nowIso(),
    };
    this.comments.push(c);
    return c;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** Runs `fn` once, just before the next `operation` (operationId, or `graphql`) is carried out. */
  before(operation: string, fn: () => void | Promise<void>): void {
    this.hooks.push({ operation, fn });
  }

  private async runHook(operation: string): Promise<void> {
    const i = this.hooks.findIndex((h) => h.operation === operation);
    if (i < 0) return;
    const [hook] = this.hooks.splice(i, 1);
    await hook!.fn();
  }

  /** Someone deletes a comment (in the web UI, or another run). */
  deleteComment(id: number): void {
    const i = this.comments.findIndex((c) => c.id === id);
    if (i >= 0) this.comments.splice(i, 1);
  }

  /** The GraphQL global ID GitHub gives an issue comment (`node_id` in REST). */
  commentNodeId(c: CommentState): string {
    return Buffer.from(`012:IssueComment${c.id}`).toString('base64');
  }

  commentsOn(issueNumber: number): CommentState[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber);
  }

  /** Requests that were refused as invalid or unknown (not injected faults). */
  get rejected(): LoggedRequest[] {
    return this.requests.filter((r) => r.rejected);
  }

  /* ───────────────────────────── HTTP ───────────────────────────── */

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const log: LoggedRequest = { method, path: url.pathname + url.search, status: 0, at: Date.now() };
    this.requests.push(log);
    let op: Operation | undefined;
    try {
      if (method === 'POST' && url.pathname === this.graphqlPath) {
        log.operationId = 'graphql';
        await this.runHook('graphql');
        const token = this.authenticate(req);
        return await this.sendGraphql(res, log, token, raw);
      }
      if (this.prefix && !url.pathname.startsWith(`${this.prefix}/`)) throw new HttpFailure(404, 'Not Found');
      const pathname = url.pathname.slice(this.prefix.length) || '/';
      const matched = this.api.match(method, pathname);
      if (!matched || matched === 'method-not-allowed') {
        log.rejected = matched ? `no ${method} operation on ${pathname}` : `unknown route ${pathname}`;
        throw new HttpFailure(404, 'Not Found');
      }
      op = matched.op;
      log.operationId = op.operationId;

      const fault = this.takeFault(method, op);
      if (fault) {
        log.injected = true;
        return this.send(res, log, op, fault.status, fault.body ?? { message: 'Server Error' }, fault.headers);
      }

      const token = this.authenticate(req);
      await this.runHook(op.operationId);
      const params = this.validatePath(op, matched.params, log);
      const query = this.validateQuery(op, url.searchParams, log);
      const body = this.validateBody(op, raw, req.headers['content-type'], log);
      const result = this.dispatch(op, { token, params, query, body, url });
      return this.send(res, log, op, result.status, result.body, result.headers);
    } catch (e) {
      if (e instanceof HttpFailure) {
        const body = { message: e.message, documentation_url: DOCS, ...e.extra };
        return this.send(res, log, op, e.status, body);
      }
      this.violations.push(`emulator crashed on ${method} ${url.pathname}: ${(e as Error).stack}`);
      return this.send(res, log, op, 500, { message: 'Server Error', documentation_url: DOCS });
    }
  }

  private takeFault(method: string, op: Operation): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        f.times > 0 &&
        (!f.method || f.method === method) &&
        (!f.operation || f.operation === op.operationId || f.operation === op.template),
    );
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    f.times--;
    if (f.times === 0) this.faults.splice(i, 1);
    return f;
  }

  private send(
    res: ServerResponse,
    log: LoggedRequest,
    op: Operation | undefined,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    log.status = status;
    if (op) this.checkResponse(op, status, body);
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomUUID(),
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...headers,
    });
    res.end(text);
  }

  /** Our own answer must match what GitHub documents for that status. */
  private checkResponse(op: Operation, status: number, body: unknown): void {
    const documented = op.responses[String(status)];
    let schema = ((documented?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
    if (!documented) {
      if (status < 400) {
        this.violations.push(`${op.operationId}: status ${status} is not documented`);
        return;
      }
      schema = { $ref: '#/components/schemas/basic-error' };
    }
    if (!schema) {
      if (body !== undefined && status !== 204) this.violations.push(`${op.operationId} ${status}: documented without a body`);
      return;
    }
    const validate = this.api.validator(`response:${op.operationId}:${documented ? status : 'error'}`, schema);
    if (!validate(body)) this.violations.push(`${op.operationId} ${status} response: ${formatErrors(validate.errors ?? [])}`);
  }

  private authenticate(req: IncomingMessage): TokenInfo {
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const info = m ? this.tokens.get(m[1]!) : undefined;
    if (!info) throw new HttpFailure(401, 'Bad credentials');
    return info;
  }

  private coerce(p: Parameter, raw: string): unknown {
    const type = p.schema.type;
    if (type === 'integer') return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    if (type === 'number') return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
    return raw;
  }

  private validatePath(op: Operation, raw: Record<string, string>, log: LoggedRequest): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of op.parameters.filter((x) => x.in === 'path')) {
      const value = this.coerce(p, raw[p.name] ?? '');
      const v = this.api.validator(`param:${op.operationId}:path:${p.name}`, p.schema);
      if (!v(value)) {
        log.rejected = `path parameter ${p.name}=${raw[p.name]}: ${formatErrors(v.errors ?? [])}`;
        throw new HttpFailure(404, 'Not Found');
      }
      out[p.name] = value;
    }
    return out;
  }

  private validateQuery(op: Operation, search: URLSearchParams, log: LoggedRequest): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const declared = op.parameters.filter((x) => x.in === 'query');
    const errors: Json[] = [];
    for (const name of new Set(search.keys())) {
      // Stricter than GitHub, which ignores them: an unknown parameter here is a bug in the caller.
      if (!declared.some((p) => p.name === name)) errors.push({ code: 'invalid', field: name, message: `unknown query parameter ${name}` });
    }
    for (const p of declared) {
      const raw = search.get(p.name);
      if (raw === null) {
        if (p.required) errors.push({ code: 'missing_field', field: p.name });
        continue;
      }
      const value = this.coerce(p, raw);
      const v = this.api.validator(`param:${op.operationId}:query:${p.name}`, p.schema);
      if (!v(value)) errors.push({ code: 'invalid', field: p.name, message: formatErrors(v.errors ?? []) });
      out[p.name] = value;
    }
    if (errors.length) {
      log.rejected = `query: ${JSON.stringify(errors)}`;
      throw new HttpFailure(422, 'Invalid request.', { errors });
    }
    return out;
  }

  private validateBody(op: Operation, raw: string, contentType: string | undefined, log: LoggedRequest): Json | undefined {
    if (!op.requestSchema) return undefined;
    if (raw === '') {
      const required = op.requestSchema.required;
      if (Array.isArray(required) && required.length) {
        log.rejected = 'missing body';
        throw new HttpFailure(422, 'Invalid request.\n\nNo body was given.');
      }
      return {};
    }
    if (contentType && !/json/i.test(contentType)) {
      log.rejected = `content-type ${contentType}`;
      throw new HttpFailure(415, 'Unsupported Media Type');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      log.rejected = 'body is not JSON';
      throw new HttpFailure(400, 'Problems parsing JSON');
    }
    const v = this.api.validator(`body:${op.operationId}`, op.requestSchema);
    if (!v(body)) {
      const errors = (v.errors ?? []).map((e) => ({
        code: 'invalid',
        field: e.instancePath.slice(1) || undefined,
        message: e.message ?? e.keyword,
      }));
      log.rejected = `body: ${formatErrors(v.errors ?? [])}`;
      throw new HttpFailure(422, `Invalid request.\n\n${formatErrors(v.errors ?? [])}`, { errors });
    }
    return body as Json;
  }

  /* ───────────────────────────── GraphQL ───────────────────────────── */

  private async sendGraphql(res: ServerResponse, log: LoggedRequest, token: TokenInfo, raw: string): Promise<void> {
    let request: { query?: unknown; variables?: unknown };
    try {
      request = JSON.parse(raw) as typeof request;
    } catch {
      log.rejected = 'body is not JSON';
      throw new HttpFailure(400, 'Problems parsing JSON');
    }
    const fault = this.faults.find((f) => f.times > 0 && f.operation === 'graphql');
    if (fault) {
      fault.times--;
      if (fault.times === 0) this.faults.splice(this.faults.indexOf(fault), 1);
      log.injected = true;
      log.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'application/json; charset=utf-8', ...fault.headers });
      res.end(JSON.stringify(fault.body ?? { message: 'Server Error' }));
      return;
    }
    const result = await executeGraphql(
      String(request.query ?? ''),
      request.variables as Record<string, unknown> | undefined,
      this.graphqlData(token),
    );
    if (result.invalid) log.rejected = `graphql: ${result.invalid}`;
    this.violations.push(...result.violations);
    log.status = 200;
    // GitHub answers GraphQL errors (invalid queries included) with 200 and an `errors` array.
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-github-request-id': randomUUID() });
    res.end(JSON.stringify(result.body));
  }

  /** The data behind the few fields the Action uses, as GitHub documents them. */
  private graphqlData(token: TokenInfo): GraphqlData {
    const byNodeId = (id: string) => this.comments.find((c) => this.commentNodeId(c) === id);
    const view = (c: CommentState) => ({
      __typename: 'IssueComment',
      id: this.commentNodeId(c),
      databaseId: c.id,
      isMinimized: c.minimizedAs !== undefined,
      // "Note that the case and formatting of these values differs from the inputs to the MinimizeComment mutation."
      minimizedReason: c.minimizedAs ? c.minimizedAs.toLowerCase().replace(/_/g, '-') : null,
      viewerCanMinimize: token.canWrite,
    });
    return {
      nodes: (ids) =>
        ids.map((id) => {
          const c = byNodeId(id);
          return c ? view(c) : null;
        }),
      minimizeComment: (input) => {
        const c = byNodeId(input.subjectId);
        if (!c) return { error: { type: 'NOT_FOUND', message: `Could not resolve to a node with the global id of '${input.subjectId}'` } };
        if (!token.canWrite) return { error: { type: 'FORBIDDEN', message: 'Resource not accessible by integration' } };
        c.minimizedAs = input.classifier;
        return { value: { clientMutationId: input.clientMutationId ?? null, minimizedComment: view(c) } };
      },
    };
  }

  /* ───────────────────────────── operations ───────────────────────────── */

  private dispatch(
    op: Operation,
    req: { token: TokenInfo; params: Record<string, unknown>; query: Record<string, unknown>; body?: Json; url: URL },
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const { params, token } = req;
    if ('owner' in params && `${String(params.owner)}/${String(params.repo)}`.toLowerCase() !== this.fullName.toLowerCase()) {
      throw new HttpFailure(404, 'Not Found');
    }
    const write = () => {
      if (!token.canWrite) throw new HttpFailure(403, 'Resource not accessible by integration');
    };
    switch (op.operationId) {
      case 'users/get-authenticated': {
        if (token.kind === 'installation') throw new HttpFailure(403, 'Resource not accessible by integration');
        return { status: 200, body: this.privateUser(token) };
      }
      case 'repos/get':
        return { status: 200, body: this.fullRepository() };
      case 'pulls/get': {
        const pr = this.pulls.get(params.pull_number as number);
        if (!pr) throw new HttpFailure(404, 'Not Found');
        return { status: 200, body: this.pullRequest(pr) };
      }
      case 'issues/list-comments': {
        const number = params.issue_number as number;
        if (!this.hasIssue(number)) throw new HttpFailure(404, 'Not Found');
        const perPage = Math.min(100, (req.query.per_page as number | undefined) ?? 30);
        const page = Math.max(1, (req.query.page as number | undefined) ?? 1);
        const all = this.commentsOn(number).sort((a, b) => a.id - b.id);
        const items = all.slice((page - 1) * perPage, page * perPage).map((c) => this.issueComment(c));
        const last = Math.max(1, Math.ceil(all.length / perPage));
        return { status: 200, body: items, headers: linkHeader(req.url, page, last, perPage) };
      }
      case 'issues/create-comment': {
        const number = params.issue_number as number;
        if (!this.hasIssue(number)) throw new HttpFailure(404, 'Not Found');
        write();
        const body = String(req.body!.body);
        if (body.length > 65_536)
          throw new HttpFailure(422, 'Validation Failed', {
            errors: [
              { resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' },
            ],
          });
        const c: CommentState = { id: this.nextId++, issueNumber: number, body, user: token, createdAt: nowIso(), updatedAt: nowIso() };
        this.comments.push(c);
        const out = this.issueComment(c);
        return { status: 201, body: out, headers: { location: out.url as string } };
      }
      case 'issues/update-comment': {
        const c = this.comments.find((x) => x.id === params.comment_id);
        if (!c) throw new HttpFailure(404, 'Not Found');
        write();
        if (c.user.login !== token.login && token.type === 'User') throw new HttpFailure(403, 'Must have admin rights to Repository.');
        const body = String(req.body!.body);
        if (body.length > 65_536)
          throw new HttpFailure(422, 'Validation Failed', {
            errors: [
              { resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' },
            ],
          });
        c.body = body;
        c.updatedAt = nowIso();
        return { status: 200, body: this.issueComment(c) };
      }
      case 'issues/get-label': {
        const l = this.labels.get(String(params.name).toLowerCase());
        if (!l) throw new HttpFailure(404, 'Not Found');
        return { status: 200, body: this.label(l) };
      }
      case 'issues/create-label': {
        write();
        const b = req.body!;
        const name = String(b.name);
        if (this.labels.has(name.toLowerCase())) {
          throw new HttpFailure(422, 'Validation Failed', { errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] });
        }
        if (name.length > 50)
          throw new HttpFailure(422, 'Validation Failed', { errors: [{ resource: 'Label', code: 'invalid', field: 'name' }] });
        const color = typeof b.color === 'string' ? b.color.replace(/^#/, '') : 'ededed';
        const l = this.addLabel(name, color, typeof b.description === 'string' ? b.description : null);
        return { status: 201, body: this.label(l), headers: { location: this.label(l).url as string } };
      }
      case 'issues/add-labels': {
        const number = params.issue_number as number;
        if (!this.hasIssue(number)) throw new HttpFailure(404, 'Not Found');
        write();
        const b = req.body as Json | unknown[] | undefined;
        // The documented shapes: {labels: [names]}, {labels: [{name}]}, [names], [{name}].
        const list = (Array.isArray(b) ? b : ((b as Json | undefined)?.labels as unknown[] | undefined)) ?? [];
        const names = list.map((x) => (typeof x === 'string' ? x : String((x as Json).name)));
        const on = this.issueLabels.get(number) ?? [];
        for (const n of names) {
          // GitHub creates a label that does not exist yet, with the default colour.
          const l = this.labels.get(n.toLowerCase()) ?? this.addLabel(n);
          if (!on.includes(l.name)) on.push(l.name);
        }
        this.issueLabels.set(number, on);
        return { status: 200, body: on.map((n) => this.label(this.labels.get(n.toLowerCase())!)) };
      }
      case 'issues/delete-comment': {
        const c = this.comments.find((x) => x.id === params.comment_id);
        if (!c) throw new HttpFailure(404, 'Not Found');
        write();
        if (c.user.login !== token.login && token.type === 'User') throw new HttpFailure(403, 'Must have admin rights to Repository.');
        this.deleteComment(c.id);
        return { status: 204 };
      }
      case 'repos/list-pull-requests-associated-with-commit': {
        // Open pull requests whose head is that commit (the commit is not on the default branch here).
        const sha = String(params.commit_sha);
        const items = [...this.pulls.values()].filter((pr) => pr.headSha === sha).map((pr) => this.pullRequestSimple(pr));
        return { status: 200, body: items };
      }
      case 'checks/create': {
        write();
        const b = req.body!;
        this.checkCompletion(b);
        const run: CheckRunState = {
          id: this.nextId++,
          name: String(b.name),
          headSha: String(b.head_sha),
          status: 'queued',
          conclusion: null,
          startedAt: nowIso(),
          completedAt: null,
          detailsUrl: null,
          externalId: null,
          output: { title: null, summary: null, text: null, annotations: [] },
          history: [],
        };
        this.applyCheckRun(run, b);
        this.checkRuns.push(run);
        return { status: 201, body: this.checkRun(run) };
      }
      case 'checks/update': {
        const run = this.checkRuns.find((r) => r.id === params.check_run_id);
        if (!run) throw new HttpFailure(404, 'Not Found');
        write();
        this.checkCompletion(req.body!);
        this.applyCheckRun(run, req.body!);
        return { status: 200, body: this.checkRun(run) };
      }
      case 'checks/get': {
        const run = this.checkRuns.find((r) => r.id === params.check_run_id);
        if (!run) throw new HttpFailure(404, 'Not Found');
        return { status: 200, body: this.checkRun(run) };
      }
      default:
        // A real operation the emulator does not implement: the action should not be calling it.
        this.violations.push(`unimplemented operation ${op.operationId}`);
        throw new HttpFailure(404, 'Not Found');
    }
  }

  /** GitHub's own rules beyond the schema: a completed run needs a conclusion. */
  private checkCompletion(b: Json): void {
    if ((b.status === 'completed' || b.completed_at !== undefined) && b.conclusion === undefined) {
      throw new HttpFailure(422, 'Invalid request.\n\n"conclusion" is required when "status" is "completed".', {
        errors: [{ resource: 'CheckRun', code: 'missing_field', field: 'conclusion' }],
      });
    }
    const output = b.output as Json | undefined;
    const summary = output?.summary;
    if (typeof summary === 'string' && summary.length > 65_535) throw new HttpFailure(422, 'Invalid request.\n\nsummary is too long');
  }

  private applyCheckRun(run: CheckRunState, b: Json): void {
    run.history.push(structuredClone(b));
    if (typeof b.name === 'string') run.name = b.name;
    if (typeof b.status === 'string') run.status = b.status;
    if (typeof b.details_url === 'string') run.detailsUrl = b.details_url;
    if (typeof b.external_id === 'string') run.externalId = b.external_id;
    if (typeof b.started_at === 'string') run.startedAt = b.started_at;
    if (typeof b.conclusion === 'string') {
      run.conclusion = b.conclusion;
      run.status = 'completed';
      run.completedAt = typeof b.completed_at === 'string' ? b.completed_at : nowIso();
    }
    const o = b.output as Json | undefined;
    if (o) {
      if (typeof o.title === 'string') run.output.title = o.title;
      if (typeof o.summary === 'string') run.output.summary = o.summary;
      if (typeof o.text === 'string') run.output.text = o.text;
      // Annotations are appended, never replaced.
      if (Array.isArray(o.annotations)) run.output.annotations.push(...(o.annotations as Json[]));
    }
  }

  /* ───────────────────────────── representations ───────────────────────────── */

  private apiBase(): string {
    return 'https://api.github.com';
  }

  simpleUser(u: TokenInfo): Json {
    const api = this.apiBase();
    const login = encodeURIComponent(u.login);
    return this.api.sample(this.api.componentSchema('simple-user'), {
      login: u.login,
      id: u.id,
      node_id: Buffer.from(`04:User${u.id}`).toString('base64'),
      type: u.type,
      site_admin: false,
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: '',
      url: `${api}/users/${login}`,
      html_url: `https://github.com/${login}`,
      followers_url: `${api}/users/${login}/followers`,
      following_url: `${api}/users/${login}/following{/other_user}`,
      gists_url: `${api}/users/${login}/gists{/gist_id}`,
      starred_url: `${api}/users/${login}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/users/${login}/subscriptions`,
      organizations_url: `${api}/users/${login}/orgs`,
      repos_url: `${api}/users/${login}/repos`,
      events_url: `${api}/users/${login}/events{/privacy}`,
      received_events_url: `${api}/users/${login}/received_events`,
    }) as Json;
  }

  private privateUser(u: TokenInfo): Json {
    return this.api.sample(this.api.componentSchema('private-user'), {
      ...this.simpleUser(u),
      user_view_type: 'private',
      created_at: '2020-01-01T00:00:00Z',
      updated_at: '2020-01-01T00:00:00Z',
    }) as Json;
  }

  private issueComment(c: CommentState): Json {
    const api = this.apiBase();
    return this.api.sample(this.api.componentSchema('issue-comment'), {
      id: c.id,
      node_id: Buffer.from(`012:IssueComment${c.id}`).toString('base64'),
      url: `${api}/repos/${this.fullName}/issues/comments/${c.id}`,
      html_url: `https://github.com/${this.fullName}/${this.issues.has(c.issueNumber) ? 'issues' : 'pull'}/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${api}/repos/${this.fullName}/issues/${c.issueNumber}`,
      body: c.body,
      user: this.simpleUser(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
      performed_via_github_app: null,
    }) as Json;
  }

  private hasIssue(number: number): boolean {
    return this.pulls.has(number) || this.issues.has(number);
  }

  private label(l: LabelState): Json {
    return this.api.sample(this.api.componentSchema('label'), {
      id: l.id,
      node_id: Buffer.from(`05:Label${l.id}`).toString('base64'),
      url: `${this.apiBase()}/repos/${this.fullName}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      description: l.description,
      color: l.color,
      default: false,
    }) as Json;
  }

  private checkRun(r: CheckRunState): Json {
    const api = this.apiBase();
    return this.api.sample(this.api.componentSchema('check-run'), {
      id: r.id,
      node_id: Buffer.from(`08:CheckRun${r.id}`).toString('base64'),
      head_sha: r.headSha,
      external_id: r.externalId ?? '',
      url: `${api}/repos/${this.fullName}/check-runs/${r.id}`,
      html_url: `https://github.com/${this.fullName}/runs/${r.id}`,
      details_url: r.detailsUrl,
      status: r.status,
      conclusion: r.conclusion,
      started_at: r.startedAt,
      completed_at: r.completedAt,
      output: {
        title: r.output.title,
        summary: r.output.summary,
        text: r.output.text,
        annotations_count: r.output.annotations.length,
        annotations_url: `${api}/repos/${this.fullName}/check-runs/${r.id}/annotations`,
      },
      name: r.name,
      check_suite: { id: 5 },
      app: null,
      pull_requests: [],
    }) as Json;
  }

  /** `pull-request-simple`: the properties of that schema, from the full representation. */
  pullRequestSimple(pr: PullRequestState): Json {
    const schema = this.api.componentSchema('pull-request-simple');
    const full = this.pullRequest(pr);
    const keys = Object.keys((schema.properties as Json | undefined) ?? {});
    return this.api.sample(schema, Object.fromEntries(keys.filter((k) => k in full).map((k) => [k, full[k]]))) as Json;
  }

  fullRepository(full = this.fullName): Json {
    const [owner, name] = full.split('/') as [string, string];
    const api = this.apiBase();
    const ownerUser: TokenInfo = { login: owner, id: 9919, type: 'User', kind: 'user', canWrite: true };
    const base = `${api}/repos/${full}`;
    return this.api.sample(this.api.componentSchema('repository'), {
      id: full === this.fullName ? 1296269 : 1296270,
      node_id: Buffer.from(`010:Repository${full}`).toString('base64'),
      name,
      full_name: full,
      owner: this.simpleUser(ownerUser),
      private: false,
      html_url: `https://github.com/${full}`,
      url: base,
      clone_url: `https://github.com/${full}.git`,
      git_url: `git://github.com/${full}.git`,
      ssh_url: `git@github.com:${full}.git`,
      svn_url: `https://github.com/${full}`,
      mirror_url: null,
      homepage: null,
      description: null,
      language: null,
      default_branch: 'main',
      visibility: 'public',
      created_at: '2020-01-01T00:00:00Z',
      updated_at: '2020-01-01T00:00:00Z',
      pushed_at: '2020-01-01T00:00:00Z',
      archive_url: `${base}/{archive_format}{/ref}`,
      assignees_url: `${base}/assignees{/user}`,
      blobs_url: `${base}/git/blobs{/sha}`,
      branches_url: `${base}/branches{/branch}`,
      collaborators_url: `${base}/collaborators{/collaborator}`,
      comments_url: `${base}/comments{/number}`,
      commits_url: `${base}/commits{/sha}`,
      compare_url: `${base}/compare/{base}...{head}`,
      contents_url: `${base}/contents/{+path}`,
      contributors_url: `${base}/contributors`,
      deployments_url: `${base}/deployments`,
      downloads_url: `${base}/downloads`,
      events_url: `${base}/events`,
      forks_url: `${base}/forks`,
      git_commits_url: `${base}/git/commits{/sha}`,
      git_refs_url: `${base}/git/refs{/sha}`,
      git_tags_url: `${base}/git/tags{/sha}`,
      hooks_url: `${base}/hooks`,
      issue_comment_url: `${base}/issues/comments{/number}`,
      issue_events_url: `${base}/issues/events{/number}`,
      issues_url: `${base}/issues{/number}`,
      keys_url: `${base}/keys{/key_id}`,
      labels_url: `${base}/labels{/name}`,
      languages_url: `${base}/languages`,
      merges_url: `${base}/merges`,
      milestones_url: `${base}/milestones{/number}`,
      notifications_url: `${base}/notifications{?since,all,participating}`,
      pulls_url: `${base}/pulls{/number}`,
      releases_url: `${base}/releases{/id}`,
      stargazers_url: `${base}/stargazers`,
      statuses_url: `${base}/statuses/{sha}`,
      subscribers_url: `${base}/subscribers`,
      subscription_url: `${base}/subscription`,
      tags_url: `${base}/tags`,
      teams_url: `${base}/teams`,
      trees_url: `${base}/git/trees{/sha}`,
    }) as Json;
  }

  pullRequest(pr: PullRequestState): Json {
    const api = this.apiBase();
    const base = `${api}/repos/${this.fullName}`;
    const author: TokenInfo = { login: pr.headRepo.split('/')[0]!, id: 4242, type: 'User', kind: 'user', canWrite: true };
    const headRepoOwner = pr.headRepo.split('/')[0]!;
    const ref = (label: string, refName: string, sha: string, repoFull: string) => ({
      label: `${label}:${refName}`,
      ref: refName,
      sha,
      user: this.simpleUser({ ...author, login: label }),
      repo: this.fullRepository(repoFull),
    });
    return this.api.sample(this.api.componentSchema('pull-request'), {
      url: `${base}/pulls/${pr.number}`,
      id: 100000 + pr.number,
      node_id: Buffer.from(`011:PullRequest${pr.number}`).toString('base64'),
      html_url: `https://github.com/${this.fullName}/pull/${pr.number}`,
      diff_url: `https://github.com/${this.fullName}/pull/${pr.number}.diff`,
      patch_url: `https://github.com/${this.fullName}/pull/${pr.number}.patch`,
      issue_url: `${base}/issues/${pr.number}`,
      commits_url: `${base}/pulls/${pr.number}/commits`,
      review_comments_url: `${base}/pulls/${pr.number}/comments`,
      review_comment_url: `${base}/pulls/comments{/number}`,
      comments_url: `${base}/issues/${pr.number}/comments`,
      statuses_url: `${base}/statuses/${pr.headSha}`,
      number: pr.number,
      state: 'open',
      locked: false,
      title: pr.title,
      user: this.simpleUser(author),
      body: null,
      labels: [],
      milestone: null,
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      assignee: null,
      head: ref(headRepoOwner, pr.headRef, pr.headSha, pr.headRepo),
      base: ref(this.owner, pr.baseRef, pr.baseSha, this.fullName),
      _links: {
        self: { href: `${base}/pulls/${pr.number}` },
        html: { href: `https://github.com/${this.fullName}/pull/${pr.number}` },
        issue: { href: `${base}/issues/${pr.number}` },
        comments: { href: `${base}/issues/${pr.number}/comments` },
        review_comments: { href: `${base}/pulls/${pr.number}/comments` },
        review_comment: { href: `${base}/pulls/comments{/number}` },
        commits: { href: `${base}/pulls/${pr.number}/commits` },
        statuses: { href: `${base}/statuses/${pr.headSha}` },
      },
      author_association: 'CONTRIBUTOR',
      auto_merge: null,
      merged: false,
      mergeable: true,
      mergeable_state: 'clean',
      merged_by: null,
      comments: this.commentsOn(pr.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: 1,
      deletions: 0,
      changed_files: 1,
    }) as Json;
  }
}

/** GitHub's `Link` header: prev/next/first/last as applicable, absolute URLs with `per_page` and `page`. */
function linkHeader(url: URL, page: number, last: number, perPage: number): Record<string, string> {
  if (last <= 1) return {};
  const at = (p: number) => {
    const u = new URL(url.href);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(p));
    return u.href;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${at(page - 1)}>; rel="prev"`);
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`);
  return links.length ? { link: links.join(', ') } : {};
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // GitHub refuses bodies this large long before; a bound keeps a runaway test from eating memory.
      if (size <= 8 * 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
