/**
 * The label and annotation keys the deploy backends put on cluster objects, in one place.
 * Swarm uses `docker stack`'s own keys so `docker stack ps/rm` see berth's objects.
 */
export const SwarmLabels = {
  namespace: 'com.docker.stack.namespace',
  image: 'com.docker.stack.image',
  /** Content hash of a secret/config (its name carries it too). */
  contentHash: 'berth.content-hash',
  /** The compose key of a secret/config/network/volume (`token`). */
  key: 'berth.key',
  managedBy: 'berth.managed-by',
} as const;

export const KubeLabels = {
  name: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  /** One per network the pod joins: `berth.dev/network.<key>: "true"` (NetworkPolicy selectors). */
  networkPrefix: 'berth.dev/network.',
} as const;

export const KubeAnnotations = {
  /** sha256 of the ConfigMaps/Secrets a pod reads: a change rolls the pods. */
  configChecksum: 'berth.dev/config-checksum',
  /** The compose labels of the service, as one JSON annotation. */
  composeLabels: 'berth.dev/compose-labels',
} as const;

export const FIELD_MANAGER = 'berth';
export const MANAGED_BY = 'berth';
