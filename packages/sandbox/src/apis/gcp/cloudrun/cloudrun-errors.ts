import { googleError, quotaExceeded } from '../../../protocols/google/google-error.js';

/** Cloud Run Admin v2 errors, with the status and wording the real API uses. */
export const runError = {
  serviceNotFound: (name: string) => {
    const [, project, , location, , service] = name.split('/');
    return googleError(
      'NOT_FOUND',
      `Resource '${service}' of kind 'SERVICE' in region '${location}' in project '${project}' does not exist.`,
    );
  },
  operationNotFound: (name: string) => googleError('NOT_FOUND', `Operation ${name} not found.`),
  alreadyExists: (id: string) => googleError('ALREADY_EXISTS', `Resource '${id}' already exists.`),
  staleEtag: () =>
    googleError(
      'ABORTED',
      'The resource has been modified; the provided etag does not match the current etag.',
    ),
  revisionExists: (revision: string) =>
    googleError(
      'ALREADY_EXISTS',
      `Revision named '${revision}' with different configuration already exists. Clear template.revision or choose a new name.`,
    ),
  invalid: (message: string) => googleError('INVALID_ARGUMENT', message),
  unimplemented: (what: string) => googleError('UNIMPLEMENTED', what),
  throttled: (write: boolean) =>
    write
      ? quotaExceeded('run.googleapis.com', 'Write requests', 'Write requests per minute per region')
      : quotaExceeded('run.googleapis.com', 'Read requests', 'Read requests per minute per region'),
};
