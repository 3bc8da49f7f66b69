import { describe, expect, it } from 'vitest';
import { githubOpenApi } from './openapi.js';

describe('GitHub OpenAPI description (test support)', () => {
  const api = githubOpenApi();

  it('routes literal segments before parameters', () => {
    const a = api.match('PATCH', '/repos/o/r/issues/comments/5');
    expect(a !== 'method-not-allowed' && a?.op.operationId).toBe('issues/update-comment');
    const b = api.match('GET', '/repos/o/r/issues/7/comments');
    expect(b !== 'method-not-allowed' && b?.op.operationId).toBe('issues/list-comments');
    expect(b !== 'method-not-allowed' && b?.params).toEqual({ owner: 'o', repo: 'r', issue_number: '7' });
    expect(api.match('PUT', '/repos/o/r/issues/7/comments')).toBe('method-not-allowed');
    expect(api.match('GET', '/no/such/thing/here/at/all')).toBeUndefined();
  });

  it('turns nullable into JSON Schema and samples valid instances', () => {
    for (const name of ['issue-comment', 'check-run', 'pull-request', 'simple-user', 'private-user', 'basic-error', 'validation-error']) {
      const sample = api.sample(api.componentSchema(name));
      expect(api.validateComponent(name, sample), name).toEqual([]);
    }
    const comment = api.sample(api.componentSchema('issue-comment')) as Record<string, unknown>;
    expect(comment.user).toBeNull();
    expect(api.validateComponent('issue-comment', { ...comment, user: 'octocat' }).length).toBeGreaterThan(0);
    expect(api.validateComponent('issue-comment', { ...comment, created_at: 'yesterday' }).length).toBeGreaterThan(0);
  });
});
