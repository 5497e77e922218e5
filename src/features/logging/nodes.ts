import type { ClusterNode } from '@contract/logging';

/** "node-2 (this node)", "node-3 (down)": a node as the Logging page's choices name it. */
export const nodeLabel = (node: ClusterNode, thisNode: string) =>
  `${node.id}${node.id === thisNode ? ' (this node)' : ''}${node.state === 'down' ? ' (down)' : ''}`;
