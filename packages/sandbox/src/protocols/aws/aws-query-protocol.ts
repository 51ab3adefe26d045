import type { ApiError } from '../../core/api-error.js';
import type { SandboxRequest, SandboxResponse } from '../../core/sandbox-request.js';
import { parseQueryForm } from './query-form.js';
import { escapeXml, toXml, type XmlMemberNames } from './xml-writer.js';

/** The `Action` of an AWS Query request (never throws). */
export function queryAction(request: SandboxRequest): string {
  return parseQueryForm(request.body).action || 'unknown';
}

/** `<{Action}Response xmlns><{Action}Result>…</{Action}Result><ResponseMetadata>…` */
export function queryResponse(
  request: SandboxRequest,
  namespace: string,
  action: string,
  result: Record<string, unknown>,
  members: XmlMemberNames,
): SandboxResponse {
  const inner = Object.entries(result)
    .map(([key, value]) => toXml(key, value, members))
    .join('');
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">` +
    `<${action}Result>${inner}</${action}Result>` +
    `<ResponseMetadata><RequestId>${request.requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': request.requestId },
    body,
  };
}

/** `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>` */
export function queryError(error: ApiError, request: SandboxRequest, namespace: string): SandboxResponse {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${request.requestId}</RequestId></ErrorResponse>`;
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': request.requestId },
    body,
  };
}
