/**
 * Hiding a comment instead of deleting or rewriting it: GitHub's GraphQL `minimizeComment` (REST has no
 * equivalent). The endpoint is `GITHUB_GRAPHQL_URL` on the runner (`https://HOST/api/graphql` on GitHub Enterprise
 * Server); without it Octokit derives it from the REST base URL.
 */
import { UnexpectedAnswer, type Octokit } from './client.js';

/** GitHub's `ReportedContentClassifiers`. */
export type MinimizeClassifier = 'OUTDATED' | 'DUPLICATE' | 'RESOLVED' | 'OFF_TOPIC' | 'SPAM' | 'ABUSE';

// The query given as one object: Octokit then takes `url` as the endpoint (as a second argument it would refuse it).
const endpoint = (graphqlUrl?: string) => (graphqlUrl ? { url: graphqlUrl } : {});

/** Minimizes the comment with GraphQL global ID `nodeId` (REST's `node_id`). */
export async function minimizeComment(
  octokit: Octokit,
  graphqlUrl: string | undefined,
  nodeId: string,
  classifier: MinimizeClassifier,
): Promise<void> {
  const answer = await octokit.graphql<{ minimizeComment?: { minimizedComment?: { isMinimized?: unknown } | null } | null }>({
    query: `mutation($id: ID!, $classifier: ReportedContentClassifiers!) {
      minimizeComment(input: { subjectId: $id, classifier: $classifier }) { minimizedComment { isMinimized } }
    }`,
    id: nodeId,
    classifier,
    ...endpoint(graphqlUrl),
  });
  if (answer?.minimizeComment?.minimizedComment?.isMinimized !== true) {
    throw new UnexpectedAnswer('GraphQL API', `minimizeComment did not report the comment minimized (${shape(answer)})`);
  }
}

/** What came back, in a few words, for the error message (never the whole body). */
function shape(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** Whether each comment is minimized already (one request for all), so a run minimizes each comment once. */
export async function commentMinimizedState(
  octokit: Octokit,
  graphqlUrl: string | undefined,
  nodeIds: string[],
): Promise<Map<string, boolean>> {
  const answer = await octokit.graphql<{ nodes?: unknown }>({
    query: `query($ids: [ID!]!) { nodes(ids: $ids) { ... on IssueComment { id isMinimized } } }`,
    ids: nodeIds,
    ...endpoint(graphqlUrl),
  });
  const nodes = answer?.nodes;
  if (!Array.isArray(nodes)) throw new UnexpectedAnswer('GraphQL API', `no \`nodes\` list (${shape(answer)})`);
  const valid = (n: unknown): n is { id: string; isMinimized: boolean } =>
    typeof n === 'object' &&
    n !== null &&
    typeof (n as { id?: unknown }).id === 'string' &&
    typeof (n as { isMinimized?: unknown }).isMinimized === 'boolean';
  return new Map(nodes.filter(valid).map((n) => [n.id, n.isMinimized]));
}
