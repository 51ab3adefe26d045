import type { StatusCause } from './kubernetes-errors.js';
import { asObject, type Json, type KindStrategy } from './kubernetes-kind-strategy.js';
import { RESOURCE_TYPES } from './kubernetes-resource-types.js';
import { cause } from './kubernetes-validation.js';

const type = RESOURCE_TYPES.find((t) => t.kind === 'Service')!;
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/**
 * core/v1 Services. The server allocates `spec.clusterIP` from 10.96.0.0/12 (kept when an update
 * omits it; immutable once set), node ports from 30000–32767 for NodePort/LoadBalancer, and — playing
 * the cloud controller — a load balancer address from 198.51.100.0/24 after the operation delay.
 */
export const serviceStrategy: KindStrategy = {
  type,
  defaults(object, previous, w) {
    object.spec ??= {};
    const spec = object.spec as Json;
    const before = asObject(previous?.spec);
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    const services = w.ctx
      .collection<Json>(type.collection)
      .values()
      .map((r) => asObject(r.data.spec));
    if (spec.type !== 'ExternalName') {
      if ((spec.clusterIP === undefined || spec.clusterIP === '') && before.clusterIP !== undefined) {
        spec.clusterIP = before.clusterIP;
        spec.clusterIPs = before.clusterIPs;
      }
      if (spec.clusterIP === undefined || spec.clusterIP === '') spec.clusterIP = allocateClusterIp(services);
      spec.clusterIPs ??= [spec.clusterIP];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.internalTrafficPolicy ??= 'Cluster';
    }
    const nodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    const previousPorts = (before.ports as Json[] | undefined) ?? [];
    for (const port of (spec.ports as Json[] | undefined) ?? []) {
      port.protocol ??= 'TCP';
      port.targetPort ??= port.port;
      if (nodePorts && port.nodePort === undefined) {
        port.nodePort =
          previousPorts.find((p) => p.port === port.port)?.nodePort ?? allocateNodePort(services, spec);
      }
    }
    if (nodePorts) spec.externalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
    object.status ??= { loadBalancer: {} };
  },
  validate(object, previous) {
    const spec = asObject(object.spec);
    const causes: StatusCause[] = [];
    if (!TYPES.includes(spec.type as string)) causes.push(cause.notSupported('spec.type', spec.type, TYPES));
    const ports = (spec.ports as Json[] | undefined) ?? [];
    const headless = spec.clusterIP === 'None';
    if (ports.length === 0 && spec.type !== 'ExternalName' && !headless)
      causes.push(cause.required('spec.ports'));
    const names = new Set<unknown>();
    ports.forEach((port, index) => {
      const at = `spec.ports[${index}]`;
      if (ports.length > 1 && (port.name === undefined || port.name === ''))
        causes.push(cause.required(`${at}.name`));
      if (port.name !== undefined && names.has(port.name))
        causes.push(cause.duplicate(`${at}.name`, port.name));
      names.add(port.name);
      if (typeof port.port !== 'number' || port.port < 1 || port.port > 65535) {
        causes.push(cause.invalid(`${at}.port`, port.port, 'must be between 1 and 65535, inclusive'));
      }
      if (!PROTOCOLS.includes(port.protocol as string))
        causes.push(cause.notSupported(`${at}.protocol`, port.protocol, PROTOCOLS));
    });
    if (spec.type === 'ExternalName' && typeof spec.externalName !== 'string')
      causes.push(cause.required('spec.externalName'));
    const before = asObject(previous?.spec);
    if (
      before.clusterIP !== undefined &&
      before.clusterIP !== '' &&
      spec.type !== 'ExternalName' &&
      spec.clusterIP !== before.clusterIP
    ) {
      causes.push(cause.immutable('spec.clusterIP', spec.clusterIP));
    }
    return causes;
  },
  afterChange(object, _previous, _specChanged, w) {
    const spec = asObject(object.spec);
    const status = asObject(object.status);
    const internal = asObject(object._sandbox);
    if (spec.type === 'LoadBalancer') {
      if (!asObject(status.loadBalancer).ingress && internal.settleAt === undefined) {
        internal.settleAt = w.now + w.ctx.operationDelayMs(w.operation);
      }
    } else {
      object.status = { loadBalancer: {} };
      delete internal.settleAt;
    }
    object._sandbox = internal;
  },
  settle(ctx) {
    const collection = ctx.collection<Json>(type.collection);
    const now = ctx.now();
    const taken = new Set(
      collection
        .values()
        .flatMap((r) =>
          ((asObject(asObject(r.data.status).loadBalancer).ingress as Json[] | undefined) ?? []).map(
            (i) => i.ip,
          ),
        ),
    );
    for (const [id, record] of collection.entries()) {
      const settleAt = asObject(record.data._sandbox).settleAt as number | undefined;
      if (settleAt === undefined || settleAt > now) continue;
      const object = structuredClone(record.data);
      let host = 1;
      while (taken.has(`198.51.100.${host}`) && host < 254) host += 1;
      taken.add(`198.51.100.${host}`);
      object.status = { loadBalancer: { ingress: [{ ip: `198.51.100.${host}`, ipMode: 'VIP' }] } };
      delete asObject(object._sandbox).settleAt;
      collection.put(id, object);
    }
  },
};

/** The lowest free address from 10.96.0.10 up (10.96.0.1 is the API server, .10 usually DNS: skipped). */
function allocateClusterIp(services: Json[]): string {
  const used = new Set(services.map((s) => s.clusterIP));
  for (let n = 11; n < 1 << 20; n += 1) {
    const ip = `10.${96 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
    if (!used.has(ip)) return ip;
  }
  throw new Error('cluster IP range exhausted');
}

function allocateNodePort(services: Json[], current: Json): number {
  const used = new Set<unknown>();
  for (const spec of [...services, current]) {
    for (const port of (spec.ports as Json[] | undefined) ?? [])
      if (port.nodePort !== undefined) used.add(port.nodePort);
  }
  for (let port = 30000; port <= 32767; port += 1) if (!used.has(port)) return port;
  throw new Error('node port range exhausted');
}
