import type { StatusCause } from './kubernetes-errors.js';
import { asObject, type Json } from './kubernetes-kind-strategy.js';
import { cause, isDns1123Label, labelCauses } from './kubernetes-validation.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** Pod spec defaults kube-apiserver fills in a pod template (what a provider reads back). */
export function podSpecDefaults(spec: Json): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const list of ['containers', 'initContainers'] as const) {
    for (const container of (spec[list] as Json[] | undefined) ?? []) {
      container.terminationMessagePath ??= '/dev/termination-log';
      container.terminationMessagePolicy ??= 'File';
      container.imagePullPolicy ??= pullPolicy(container.image);
      container.resources ??= {};
      for (const port of (container.ports as Json[] | undefined) ?? []) port.protocol ??= 'TCP';
    }
  }
}

/** `Always` for `:latest` or untagged images, else `IfNotPresent`. */
function pullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Checks of a pod template (`field` is its path, e.g. `spec.template`). */
export function podTemplateCauses(
  template: Json,
  field: string,
  restartPolicies: readonly string[],
): StatusCause[] {
  const causes: StatusCause[] = [];
  const metadata = asObject(template.metadata);
  causes.push(...labelCauses(metadata.labels, `${field}.metadata.labels`));
  const spec = asObject(template.spec);
  const containers = (spec.containers as Json[] | undefined) ?? [];
  if (containers.length === 0) causes.push(cause.required(`${field}.spec.containers`));
  const names = new Set<string>();
  containers.forEach((container, index) => {
    const at = `${field}.spec.containers[${index}]`;
    const name = container.name;
    if (typeof name !== 'string' || name === '') causes.push(cause.required(`${at}.name`));
    else if (!isDns1123Label(name)) {
      causes.push(
        cause.invalid(
          `${at}.name`,
          name,
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'",
        ),
      );
    } else if (names.has(name)) causes.push(cause.duplicate(`${at}.name`, name));
    else names.add(name);
    if (typeof container.image !== 'string' || container.image.trim() === '')
      causes.push(cause.required(`${at}.image`));
    ((container.ports as Json[] | undefined) ?? []).forEach((port, p) => {
      const value = port.containerPort;
      if (typeof value !== 'number' || value < 1 || value > 65535) {
        causes.push(
          cause.invalid(`${at}.ports[${p}].containerPort`, value, 'must be between 1 and 65535, inclusive'),
        );
      }
      if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol as string)) {
        causes.push(cause.notSupported(`${at}.ports[${p}].protocol`, port.protocol, PROTOCOLS));
      }
    });
    ((container.env as Json[] | undefined) ?? []).forEach((env, e) => {
      if (typeof env.name !== 'string' || env.name === '')
        causes.push(cause.required(`${at}.env[${e}].name`));
    });
  });
  if (spec.restartPolicy !== undefined && !restartPolicies.includes(spec.restartPolicy as string)) {
    causes.push(cause.notSupported(`${field}.spec.restartPolicy`, spec.restartPolicy, restartPolicies));
  }
  return causes;
}
