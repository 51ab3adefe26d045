import { ApiError } from '../../../core/api-error.js';

/** EKS error codes with the HTTP status the EKS model gives them. */
export const eksError = {
  clusterNotFound: (name: string) =>
    new ApiError(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`, {
      clusterName: name,
    }),
  nodegroupNotFound: (cluster: string, name: string) =>
    new ApiError(404, 'ResourceNotFoundException', `No node group found for name: ${name}.`, {
      clusterName: cluster,
      nodegroupName: name,
    }),
  updateNotFound: (cluster: string, id: string) =>
    new ApiError(404, 'ResourceNotFoundException', `No update found for ID: ${id}.`, {
      clusterName: cluster,
    }),
  inUse: (message: string, extra: Record<string, unknown> = {}) =>
    new ApiError(409, 'ResourceInUseException', message, extra),
  invalidParameter: (message: string, extra: Record<string, unknown> = {}) =>
    new ApiError(400, 'InvalidParameterException', message, extra),
  invalidRequest: (message: string, extra: Record<string, unknown> = {}) =>
    new ApiError(400, 'InvalidRequestException', message, extra),
  tagNotFound: (arn: string) => new ApiError(404, 'NotFoundException', `Resource ${arn} not found.`),
  badRequest: (message: string) => new ApiError(400, 'BadRequestException', message),
  throttling: () => new ApiError(429, 'TooManyRequestsException', 'Rate exceeded'),
  server: () => new ApiError(500, 'ServerException', 'An internal error occurred. Try again later.'),
};
