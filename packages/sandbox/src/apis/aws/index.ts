import type { SandboxApiFactory } from '../../core/sandbox-api.js';
import { ecsApi } from './ecs/ecs-api.js';
import { eksApi } from './eks/eks-api.js';
import { rdsApi } from './rds/rds-api.js';

/** The AWS APIs, routed by the service in each request's SigV4 credential scope. */
export const awsApis: readonly SandboxApiFactory[] = [ecsApi, rdsApi, eksApi];
