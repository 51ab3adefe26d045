import type { SandboxApiFactory } from '../../core/sandbox-api.js';
import { kubernetesApi } from './kubernetes-api.js';

/** The Kubernetes API server (core/v1, apps/v1, autoscaling/v2), routed by /api and /apis paths. */
export const kubernetesApis: readonly SandboxApiFactory[] = [kubernetesApi];
