import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../src/github/context.js';
import { pullRequestEvent, workflowRunEvent } from './events.js';
import { githubOpenApi } from './openapi.js';

const api = githubOpenApi();
const sha = 'a'.repeat(40);

describe('event payloads built from the webhook schemas', () => {
  it('pull_request from the same repository', () => {
    const payload = pullRequestEvent(api, { repository: 'octo-org/wasm-app', number: 7, headSha: sha });
    expect(resolveTarget({ eventName: 'pull_request', payload, repository: 'octo-org/wasm-app', sha: 'f'.repeat(40) })).toEqual({
      owner: 'octo-org',
      repo: 'wasm-app',
      headSha: sha,
      pullNumber: 7,
      isFork: false,
    });
  });

  it('pull_request from a fork', () => {
    const payload = pullRequestEvent(api, { repository: 'octo-org/wasm-app', number: 8, headSha: sha, headRepo: 'someone/wasm-app' });
    expect(resolveTarget({ eventName: 'pull_request', payload, repository: 'octo-org/wasm-app', sha: 'f'.repeat(40) }).isFork).toBe(true);
  });

  it('workflow_run: fork runs list no pull requests, same-repo runs do', () => {
    const fork = workflowRunEvent(api, { repository: 'octo-org/wasm-app', headSha: sha, headRepo: 'someone/wasm-app' });
    expect(resolveTarget({ eventName: 'workflow_run', payload: fork, repository: 'octo-org/wasm-app', sha: 'f'.repeat(40) })).toMatchObject(
      {
        headSha: sha,
        pullNumber: undefined,
        isFork: true,
      },
    );
    const same = workflowRunEvent(api, { repository: 'octo-org/wasm-app', headSha: sha, pullRequests: [{ number: 3, headSha: sha }] });
    expect(resolveTarget({ eventName: 'workflow_run', payload: same, repository: 'octo-org/wasm-app', sha: 'f'.repeat(40) })).toMatchObject(
      {
        pullNumber: 3,
        isFork: false,
      },
    );
  });
});
