import type { SandboxRequest } from '../../core/sandbox-request.js';

/** One REST binding of an RPC: HTTP method, path template and the operation name it counts as. */
export interface GoogleRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/v1/projects/{project}/locations/{location}/clusters/{cluster}:setResourceLabels` */
  path: string;
  operation: string;
}

/** A matched route with its path variables (already URL-decoded). */
export interface MatchedRoute {
  operation: string;
  params: Record<string, string>;
}

/**
 * Compiles HTTP rule templates into matchers. A `{name}` variable matches one path segment (no `/`,
 * no `:` so custom verbs such as `:setSize` stay apart).
 */
export function googleRoutes(routes: readonly GoogleRoute[]) {
  const compiled = routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split(/(\{[a-zA-Z]+\})/)
      .map((part) => {
        const variable = /^\{([a-zA-Z]+)\}$/.exec(part);
        if (!variable) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(variable[1] as string);
        return '([^/:]+)';
      })
      .join('');
    return { route, names, regex: new RegExp(`^${source}$`) };
  });
  return {
    /** The route a request calls, or undefined. */
    match(request: SandboxRequest): MatchedRoute | undefined {
      for (const { route, names, regex } of compiled) {
        if (route.method !== request.method) continue;
        const found = regex.exec(request.path);
        if (!found) continue;
        const params: Record<string, string> = {};
        names.forEach((name, index) => {
          params[name] = decodeURIComponent(found[index + 1] as string);
        });
        return { operation: route.operation, params };
      }
      return undefined;
    },
    /** `METHOD path` of every route, for "not implemented" messages. */
    describe(): string {
      return routes.map((r) => `${r.method} ${r.path}`).join(', ');
    },
  };
}
