import { headerValue, type SandboxRequest } from '../../core/sandbox-request.js';

/**
 * The service a SigV4-signed request is for, read from its credential scope
 * (`Credential=AKID/20240101/us-east-1/ecs/aws4_request`), or undefined when unsigned.
 */
export function sigv4Service(request: SandboxRequest): string | undefined {
  return sigv4Scope(request)?.service;
}

/** Region and service of a SigV4-signed request. */
export function sigv4Scope(request: SandboxRequest): { region: string; service: string } | undefined {
  const authorization = headerValue(request, 'authorization');
  const match = authorization?.match(/Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/);
  if (!match) return undefined;
  return { region: match[1]!, service: match[2]! };
}

/** The region a request was signed for (used in ARNs). */
export function sigv4Region(request: SandboxRequest): string {
  return sigv4Scope(request)?.region ?? 'us-east-1';
}
