import { ApiError } from '../../../core/api-error.js';

/** ECS error codes as the API models them (all 400 except ServerException). */
export const ecsError = {
  clusterNotFound: () => new ApiError(400, 'ClusterNotFoundException', 'Cluster not found.'),
  serviceNotFound: () => new ApiError(400, 'ServiceNotFoundException', 'Service not found.'),
  serviceNotActive: () => new ApiError(400, 'ServiceNotActiveException', 'Service was not ACTIVE.'),
  invalidParameter: (message: string) => new ApiError(400, 'InvalidParameterException', message),
  client: (message: string) => new ApiError(400, 'ClientException', message),
  resourceNotFound: (message: string) => new ApiError(400, 'ResourceNotFoundException', message),
  clusterContainsServices: () =>
    new ApiError(
      400,
      'ClusterContainsServicesException',
      'The Cluster cannot be deleted while Services are active.',
    ),
  throttling: () => new ApiError(400, 'ThrottlingException', 'Rate exceeded'),
  server: () => new ApiError(500, 'ServerException', 'Service unavailable. Try again later.'),
};
