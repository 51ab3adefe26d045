import { z } from 'zod';

const labels = z.record(z.string(), z.string());
const enumValue = z.union([z.string(), z.number().int()]);
/** Output-only fields: a client sends back what it read; the API ignores them. */
const outputOnly = z.unknown().optional();

const container = z.looseObject({ image: z.string().min(1, 'container image is required') });

/** `RevisionTemplate`: the sandbox reads `revision`, `labels` and `containers`; the rest round-trips. */
export const revisionTemplate = z.looseObject({
  revision: z.string().optional(),
  labels: labels.optional(),
  annotations: labels.optional(),
  containers: z.array(container).min(1, 'at least one container is required'),
});

/** `google.cloud.run.v2.Service` as a request body: writable fields plus ignored output-only ones. */
export const serviceInput = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    labels: labels.optional(),
    annotations: labels.optional(),
    client: z.string().optional(),
    clientVersion: z.string().optional(),
    ingress: enumValue.optional(),
    launchStage: enumValue.optional(),
    binaryAuthorization: z.looseObject({}).optional(),
    template: revisionTemplate.optional(),
    traffic: z.array(z.looseObject({})).optional(),
    scaling: z.looseObject({}).optional(),
    invokerIamDisabled: z.boolean().optional(),
    defaultUriDisabled: z.boolean().optional(),
    iapEnabled: z.boolean().optional(),
    customAudiences: z.array(z.string()).optional(),
    buildConfig: z.looseObject({}).optional(),
    multiRegionSettings: z.looseObject({}).optional(),
    etag: z.string().optional(),
    uid: outputOnly,
    generation: outputOnly,
    createTime: outputOnly,
    updateTime: outputOnly,
    deleteTime: outputOnly,
    expireTime: outputOnly,
    creator: outputOnly,
    lastModifier: outputOnly,
    urls: outputOnly,
    observedGeneration: outputOnly,
    terminalCondition: outputOnly,
    conditions: outputOnly,
    latestReadyRevision: outputOnly,
    latestCreatedRevision: outputOnly,
    trafficStatuses: outputOnly,
    uri: outputOnly,
    satisfiesPzs: outputOnly,
    threatDetectionEnabled: outputOnly,
    reconciling: outputOnly,
  })
  .strict();

export type ServiceInput = z.infer<typeof serviceInput>;

/** Fields an update may set (an update mask names these). */
export const WRITABLE_FIELDS = [
  'description',
  'labels',
  'annotations',
  'client',
  'clientVersion',
  'ingress',
  'launchStage',
  'binaryAuthorization',
  'template',
  'traffic',
  'scaling',
  'invokerIamDisabled',
  'defaultUriDisabled',
  'iapEnabled',
  'customAudiences',
  'buildConfig',
  'multiRegionSettings',
] as const;
