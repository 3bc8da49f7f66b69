/**
 * Hiding a comment instead of deleting or rewriting it: GitHub's GraphQL `minimizeComment` (REST has no
 * equivalent). The endpoint is `GITHUB_GRAPHQL_URL` on the runner (`https://HOST/api/graphql` on GitHub Enterprise
 * Server); without it Octokit derives it from the REST base URL.
 */
import type { Octokit } from './client.js';

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
  await octokit.graphql({
    query: `mutation($id: ID!, $classifier: ReportedContentClassifiers!) {
      minimizeComment(input: { subjectId: $id, classifier: $classifier }) { minimizedComment { isMinimized } }
    }`,
    id: nodeId,
    classifier,
    ...endpoint(graphqlUrl),
  });
}

/** Whether each comment is minimized already (one request for all), so a run minimizes each comment once. */
export async function commentMinimizedState(
  octokit: Octokit,
  graphqlUrl: string | undefined,
  nodeIds: string[],
): Promise<Map<string, boolean>> {
  const { nodes } = await octokit.graphql<{ nodes: ({ id: string; isMinimized: boolean } | null)[] }>({
    query: `query($ids: [ID!]!) { nodes(ids: $ids) { ... on IssueComment { id isMinimized } } }`,
    ids: nodeIds,
    ...endpoint(graphqlUrl),
  });
  return new Map(
    nodes.filter((n): n is { id: string; isMinimized: boolean } => !!n && typeof n.id === 'string').map((n) => [n.id, n.isMinimized]),
  );
}
