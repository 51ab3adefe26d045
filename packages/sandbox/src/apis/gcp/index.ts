import type { SandboxApiFactory } from '../../core/sandbox-api.js';
import { cloudRunApi } from './cloudrun/cloudrun-api.js';
import { cloudSqlApi } from './cloudsql/cloudsql-api.js';
import { gkeApi } from './gke/gke-api.js';

/** The Google Cloud APIs (Cloud Run v2, Cloud SQL Admin v1, GKE v1), routed by REST path. */
export const gcpApis: readonly SandboxApiFactory[] = [cloudRunApi, cloudSqlApi, gkeApi];
