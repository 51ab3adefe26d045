import { errorInfo, googleError, quotaExceeded } from '../../../protocols/google/google-error.js';

/** GKE v1 errors with the canonical statuses the real API answers. */
export const gkeError = {
  notFound: (name: string) => googleError('NOT_FOUND', `Not found: ${name}.`),
  alreadyExists: (name: string) => googleError('ALREADY_EXISTS', `Already exists: ${name}.`),
  clusterBusy: (cluster: string, operation: string) =>
    googleError('FAILED_PRECONDITION', `Cluster is running incompatible operation ${operation}.`, [
      errorInfo('CLUSTER_ALREADY_HAS_OPERATION', 'container.googleapis.com', {
        cluster,
        operation,
      }),
    ]),
  staleEtag: (what: string) =>
    googleError('ABORTED', `The ${what} was modified concurrently: the etag in the request does not match.`),
  fingerprintMismatch: () =>
    googleError(
      'FAILED_PRECONDITION',
      'Labels could not be set due to fingerprint mismatch; read the cluster again for its current labelFingerprint.',
    ),
  invalid: (message: string) => googleError('INVALID_ARGUMENT', message),
  unimplemented: (message: string) => googleError('UNIMPLEMENTED', message),
  throttled: () => quotaExceeded('container.googleapis.com', 'Requests', 'Requests per minute per project'),
};
