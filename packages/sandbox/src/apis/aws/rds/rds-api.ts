import type { SandboxApi } from '../../../core/sandbox-api.js';
import { queryAction, queryError, queryResponse } from '../../../protocols/aws/aws-query-protocol.js';
import { parseQueryForm } from '../../../protocols/aws/query-form.js';
import { sigv4Region, sigv4Service } from '../../../protocols/aws/sigv4-service.js';
import type { XmlMemberNames } from '../../../protocols/aws/xml-writer.js';
import { rdsError } from './rds-errors.js';
import {
  createDBInstance,
  deleteDBInstance,
  describeDBInstances,
  modifyDBInstance,
  RdsEnv,
  settleInstances,
  startApplying,
} from './rds-instances.js';
import type { RdsInstance } from './rds-records.js';
import { addTagsToResource, listTagsForResource, mergeRdsTags, removeTagsFromResource } from './rds-tags.js';

const NAMESPACE = 'http://rds.amazonaws.com/doc/2014-10-31/';

/** Member element names of RDS lists, as the RDS model names them (others are `member`). */
const MEMBERS: XmlMemberNames = {
  DBInstances: 'DBInstance',
  TagList: 'Tag',
  VpcSecurityGroups: 'VpcSecurityGroupMembership',
  DBParameterGroups: 'DBParameterGroup',
  DBSecurityGroups: 'DBSecurityGroup',
  OptionGroupMemberships: 'OptionGroupMembership',
  Subnets: 'Subnet',
  ProcessorFeatures: 'ProcessorFeature',
  StatusInfos: 'DBInstanceStatusInfo',
  DomainMemberships: 'DomainMembership',
  AssociatedRoles: 'DBInstanceRole',
  ReadReplicaDBInstanceIdentifiers: 'ReadReplicaDBInstanceIdentifier',
};

type Handler = (params: unknown, env: RdsEnv) => Record<string, unknown>;

const ACTIONS: Record<string, Handler> = {
  CreateDBInstance: createDBInstance,
  DescribeDBInstances: describeDBInstances,
  ModifyDBInstance: modifyDBInstance,
  DeleteDBInstance: deleteDBInstance,
  AddTagsToResource: addTagsToResource,
  RemoveTagsFromResource: removeTagsFromResource,
  ListTagsForResource: listTagsForResource,
};

/**
 * Amazon RDS (Query protocol, XML responses), DB instances only. Collection `dbInstance`
 * (id: DBInstanceIdentifier, lower-case). Console action `apply-pending` applies PendingModifiedValues
 * as a maintenance window would.
 */
export const rdsApi = (): SandboxApi => ({
  name: 'rds',
  matches: (request) => sigv4Service(request) === 'rds',
  operation: queryAction,
  handle(request, ctx) {
    const form = parseQueryForm(request.body);
    const handler = ACTIONS[form.action];
    if (!handler) {
      throw rdsError.value(
        `The sandbox does not implement RDS action ${form.action || '(none)'}; implemented: ${Object.keys(ACTIONS).join(', ')}`,
      );
    }
    if (form.version !== '2014-10-31') {
      throw rdsError.value(`Unsupported Version ${form.version ?? '(none)'}; allowed: 2014-10-31`);
    }
    const result = handler(form.params, new RdsEnv(ctx, sigv4Region(request)));
    return queryResponse(request, NAMESPACE, form.action, result, MEMBERS);
  },
  errorResponse: (error, request) => queryError(error, request, NAMESPACE),
  throttleError: () => rdsError.throttling(),
  serverError: () => rdsError.internal(),
  // RDS: one account-wide bucket of 300 requests, refilled at 12 per second (RDS API throttling docs).
  defaultRateLimit: () => ({ bucket: 'account', limit: { burst: 300, perSecond: 12 } }),
  settle: settleInstances,
  console: {
    kinds: ['dbInstance'],
    tag(_kind, record, key, value) {
      const data = record.data as RdsInstance;
      data.TagList = mergeRdsTags(data.TagList ?? [], [{ Key: key, Value: value }]);
    },
    delete(kind, id, ctx) {
      const instances = ctx.collection<RdsInstance>(kind);
      const record = instances.get(id);
      if (!record) return false;
      const instance = structuredClone(record.data);
      instance.DBInstanceStatus = 'deleting';
      instance._sandbox = { settleAt: ctx.now() + ctx.operationDelayMs('DeleteDBInstance') };
      instances.put(id, instance);
      return true;
    },
    actions: {
      /** What the maintenance window does: apply every pending modification. */
      'apply-pending'(kind, id, ctx) {
        const instances = ctx.collection<RdsInstance>(kind);
        const record = instances.get(id);
        if (!record) return; // the console checked it exists
        const instance = structuredClone(record.data);
        startApplying(instance, ctx, 'ModifyDBInstance');
        instances.put(id, instance);
      },
    },
  },
});
