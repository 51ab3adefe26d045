import { z } from 'zod';
import type { StatusCause } from './kubernetes-errors.js';

/*
 * Wire shapes of the served kinds, as far as strict field validation needs them: every object level
 * the sandbox interprets is strict (unknown fields are rejected, naming the field), fields are typed
 * where the sandbox reads them, and every other field the real API defines is accepted as-is.
 */

const int32 = z.number().int();
const stringMap = z.record(z.string(), z.string());
const intOrString = z.union([z.number().int(), z.string()]);
const quantity = z.union([z.string(), z.number()]);
const quantities = z.record(z.string(), quantity);

/** A strict object with the typed fields given and the other known field names accepted untyped. */
function known<T extends z.ZodRawShape>(names: readonly string[], typed: T) {
  const shape: Record<string, z.ZodType> = {};
  for (const name of names) shape[name] = z.unknown();
  return z.strictObject({ ...shape, ...typed }).partial();
}

export const objectMetaSchema = known(
  ['deletionGracePeriodSeconds', 'ownerReferences', 'selfLink', 'managedFields', 'finalizers'],
  {
    name: z.string(),
    generateName: z.string(),
    namespace: z.string(),
    labels: stringMap,
    annotations: stringMap,
    uid: z.string(),
    resourceVersion: z.string(),
    generation: int32,
    creationTimestamp: z.string(),
    deletionTimestamp: z.string(),
    finalizers: z.array(z.string()),
    managedFields: z.array(z.looseObject({})),
  },
);

const labelSelector = known([], {
  matchLabels: stringMap,
  matchExpressions: z.array(
    known([], { key: z.string(), operator: z.string(), values: z.array(z.string()) }),
  ),
});

const containerPort = known(['hostIP', 'hostPort'], {
  containerPort: int32,
  name: z.string(),
  protocol: z.string(),
});

const envVar = known(['valueFrom'], { name: z.string(), value: z.string() });

const container = known(
  [
    'args',
    'command',
    'envFrom',
    'lifecycle',
    'livenessProbe',
    'readinessProbe',
    'resizePolicy',
    'restartPolicy',
    'restartPolicyRules',
    'securityContext',
    'startupProbe',
    'stdin',
    'stdinOnce',
    'terminationMessagePath',
    'terminationMessagePolicy',
    'tty',
    'volumeDevices',
    'volumeMounts',
    'workingDir',
  ],
  {
    name: z.string(),
    image: z.string(),
    imagePullPolicy: z.string(),
    args: z.array(z.string()),
    command: z.array(z.string()),
    ports: z.array(containerPort),
    env: z.array(envVar),
    resources: known(['claims'], { limits: quantities, requests: quantities }),
  },
);

const podSpec = known(
  [
    'activeDeadlineSeconds',
    'affinity',
    'automountServiceAccountToken',
    'dnsConfig',
    'enableServiceLinks',
    'ephemeralContainers',
    'hostAliases',
    'hostIPC',
    'hostNetwork',
    'hostPID',
    'hostUsers',
    'hostname',
    'hostnameOverride',
    'imagePullSecrets',
    'nodeName',
    'os',
    'overhead',
    'preemptionPolicy',
    'priority',
    'priorityClassName',
    'readinessGates',
    'resourceClaims',
    'resources',
    'runtimeClassName',
    'schedulingGates',
    'securityContext',
    'serviceAccount',
    'serviceAccountName',
    'setHostnameAsFQDN',
    'shareProcessNamespace',
    'subdomain',
    'tolerations',
    'topologySpreadConstraints',
    'volumes',
  ],
  {
    containers: z.array(container),
    initContainers: z.array(container),
    nodeSelector: stringMap,
    restartPolicy: z.string(),
    dnsPolicy: z.string(),
    schedulerName: z.string(),
    terminationGracePeriodSeconds: z.number().int(),
  },
);

const deploymentSpec = known([], {
  replicas: int32,
  selector: labelSelector,
  template: known([], { metadata: objectMetaSchema, spec: podSpec }),
  strategy: known([], {
    type: z.string(),
    rollingUpdate: known([], { maxSurge: intOrString, maxUnavailable: intOrString }),
  }),
  minReadySeconds: int32,
  revisionHistoryLimit: int32,
  progressDeadlineSeconds: int32,
  paused: z.boolean(),
});

const servicePort = known(['appProtocol'], {
  name: z.string(),
  protocol: z.string(),
  port: int32,
  targetPort: intOrString,
  nodePort: int32,
});

const serviceSpec = known(
  [
    'allocateLoadBalancerNodePorts',
    'externalIPs',
    'externalName',
    'externalTrafficPolicy',
    'healthCheckNodePort',
    'internalTrafficPolicy',
    'ipFamilies',
    'ipFamilyPolicy',
    'loadBalancerClass',
    'loadBalancerIP',
    'loadBalancerSourceRanges',
    'publishNotReadyAddresses',
    'sessionAffinity',
    'sessionAffinityConfig',
    'trafficDistribution',
  ],
  {
    type: z.string(),
    clusterIP: z.string(),
    clusterIPs: z.array(z.string()),
    ports: z.array(servicePort),
    selector: stringMap,
  },
);

const hpaSpec = known(['behavior'], {
  scaleTargetRef: known([], { apiVersion: z.string(), kind: z.string(), name: z.string() }),
  minReplicas: int32,
  maxReplicas: int32,
  metrics: z.array(z.looseObject({ type: z.string() })),
});

const typeMeta = { apiVersion: z.string(), kind: z.string(), metadata: objectMetaSchema };
// Status is accepted (a client sends back what it read) and ignored on writes to the main resource.
const status = z.looseObject({});

/** Object schemas by kind. */
export const OBJECT_SCHEMAS: Record<string, z.ZodType> = {
  Namespace: known([], { ...typeMeta, spec: known([], { finalizers: z.array(z.string()) }), status }),
  Service: known([], { ...typeMeta, spec: serviceSpec, status }),
  ConfigMap: known([], { ...typeMeta, data: stringMap, binaryData: stringMap, immutable: z.boolean() }),
  Secret: known([], {
    ...typeMeta,
    data: stringMap,
    stringData: stringMap,
    type: z.string(),
    immutable: z.boolean(),
  }),
  Deployment: known([], { ...typeMeta, spec: deploymentSpec, status }),
  HorizontalPodAutoscaler: known([], { ...typeMeta, spec: hpaSpec, status }),
};

/** Formats a path the way kube-apiserver names fields: `spec.template.spec.containers[0].image`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(segment)))
      result += result ? `.${String(segment)}` : String(segment);
    else result += `[${String(segment)}]`;
  }
  return result;
}

/** Strict field validation: every unknown field and wrong type, as Status causes. */
export function schemaCauses(kind: string, object: unknown): StatusCause[] {
  const schema = OBJECT_SCHEMAS[kind];
  if (!schema) return [];
  const parsed = schema.safeParse(object);
  if (parsed.success) return [];
  const causes: StatusCause[] = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: `unknown field "${fieldPath([...issue.path, key])}"`,
          field: fieldPath([...issue.path, key]),
        });
      }
    } else if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
      const expected = issue.code === 'invalid_type' ? issue.expected : 'integer or string';
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${shown(kind, issue.path, valueAt(object, issue.path))}: expected ${expected}`,
        field: fieldPath(issue.path),
      });
    } else {
      causes.push({ reason: 'FieldValueInvalid', message: issue.message, field: fieldPath(issue.path) });
    }
  }
  return causes;
}

/** Secret values never appear in errors. */
function shown(kind: string, path: readonly PropertyKey[], value: unknown): string {
  const secret = kind === 'Secret' && (path[0] === 'data' || path[0] === 'stringData');
  return secret ? '"<secret contents redacted>"' : JSON.stringify(value);
}

function valueAt(object: unknown, path: readonly PropertyKey[]): unknown {
  let current = object;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
