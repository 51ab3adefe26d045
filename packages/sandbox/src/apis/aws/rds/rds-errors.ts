import { ApiError } from '../../../core/api-error.js';

/** RDS error codes with the HTTP status the RDS model gives them. */
export const rdsError = {
  notFound: (id: string) => new ApiError(404, 'DBInstanceNotFound', `DBInstance ${id} not found.`),
  alreadyExists: () => new ApiError(400, 'DBInstanceAlreadyExists', 'DB instance already exists'),
  invalidState: (id: string, status: string) =>
    new ApiError(
      400,
      'InvalidDBInstanceState',
      `Database instance ${id} is in state ${status}, not available.`,
    ),
  combination: (message: string) => new ApiError(400, 'InvalidParameterCombination', message),
  value: (message: string) => new ApiError(400, 'InvalidParameterValue', message),
  throttling: () => new ApiError(400, 'Throttling', 'Rate exceeded'),
  internal: () =>
    new ApiError(500, 'InternalFailure', 'An internal error has occurred. Please try your query again.'),
};
