/** What the API server knows about one resource type (drives routing, discovery and Status wording). */
export interface ResourceType {
  /** `Deployment` */
  kind: string;
  /** `deployments` (URL segment, Status `details.kind` for NotFound/AlreadyExists/Conflict) */
  plural: string;
  singular: string;
  /** `apps`; '' for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
  shortNames: string[];
  /** Store collection holding the objects (ids: `name`, or `namespace/name` when namespaced). */
  collection: string;
  /** Whether `metadata.generation` tracks spec changes (deployments and HPAs; not configmaps). */
  hasGeneration: boolean;
  subresources: string[];
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update'];

export const RESOURCE_TYPES: readonly ResourceType[] = [
  {
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    group: '',
    version: 'v1',
    namespaced: false,
    shortNames: ['ns'],
    collection: 'namespace',
    hasGeneration: false,
    subresources: ['status'],
  },
  {
    kind: 'Service',
    plural: 'services',
    singular: 'service',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['svc'],
    collection: 'service',
    hasGeneration: false,
    subresources: ['status'],
  },
  {
    kind: 'ConfigMap',
    plural: 'configmaps',
    singular: 'configmap',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['cm'],
    collection: 'configmap',
    hasGeneration: false,
    subresources: [],
  },
  {
    kind: 'Secret',
    plural: 'secrets',
    singular: 'secret',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: [],
    collection: 'secret',
    hasGeneration: false,
    subresources: [],
  },
  {
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['deploy'],
    collection: 'deployment',
    hasGeneration: true,
    subresources: ['status', 'scale'],
  },
  {
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    group: 'autoscaling',
    version: 'v2',
    namespaced: true,
    shortNames: ['hpa'],
    collection: 'horizontalpodautoscaler',
    hasGeneration: true,
    subresources: ['status'],
  },
];

export const apiVersionOf = (type: ResourceType): string =>
  type.group ? `${type.group}/${type.version}` : type.version;

/** The group/versions served, in discovery order. */
export function groupVersions(): { group: string; version: string; types: ResourceType[] }[] {
  const result: { group: string; version: string; types: ResourceType[] }[] = [];
  for (const type of RESOURCE_TYPES) {
    let entry = result.find((e) => e.group === type.group && e.version === type.version);
    if (!entry) {
      entry = { group: type.group, version: type.version, types: [] };
      result.push(entry);
    }
    entry.types.push(type);
  }
  return result;
}

/** An `APIResource` entry of a discovery resource list, with its subresources. */
export function apiResources(type: ResourceType): object[] {
  const main = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.kind === 'Namespace' ? VERBS.filter((v) => v !== 'deletecollection') : VERBS,
    ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
    ...(type.kind === 'Deployment' ? { categories: ['all'] } : {}),
  };
  const subs = type.subresources.map((sub) => ({
    name: `${type.plural}/${sub}`,
    singularName: '',
    namespaced: type.namespaced,
    ...(sub === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}),
    kind: sub === 'scale' ? 'Scale' : type.kind,
    verbs: ['get', 'patch', 'update'],
  }));
  return [main, ...subs];
}

export function findType(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
}
