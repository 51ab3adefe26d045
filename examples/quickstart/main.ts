/**
 * @module The Patchbay quickstart: the whole story against the local sandbox, no credentials.
 *
 * Describe an environment and an app → plan the processes → plan and apply the AWS resources (ECS on
 * Fargate + RDS) through the real AWS SDK → a person edits the service in the "console" → a config change
 * patches only what changed and keeps the console edit → switching the allocation strategy is a
 * make-before-break transition. The simulated cloud and Patchbay's state live under `.patchbay/`, so a
 * second run finds everything in place and plans nothing. `--reset` starts over.
 */
import { rm } from 'node:fs/promises';
import {
  type Allocation,
  createEngine,
  desiredResources,
  type Engine,
  FileStore,
  formatAllocation,
  type Plan,
  parseApp,
  parseEnvironment,
  planAllocation,
  planTransition,
  renderPlan,
} from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { type Stage, shopApp, shopEnvironment } from './shop.js';
import { bold, callSummary, dim, heading, indent, showProgress } from './terminal.js';

// The AWS SDK warns on Node 20 that releases after January 2027 need Node 22; this demo only talks to
// the local sandbox, so keep its output to the story.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const dataDir = '.patchbay';
if (process.argv.includes('--reset')) await rm(dataDir, { recursive: true, force: true });

const app = parseApp(shopApp);
const sandbox = await startSandbox({ dataDir: `${dataDir}/sandbox`, operationDelayMs: 150 });
const store = new FileStore(`${dataDir}/state`);
const engine = createEngine({
  environment: 'staging',
  providers: [aws({ ...awsClientConfig(sandbox), pollIntervalMs: 50 })],
  store,
});
const apis = ['ecs', 'rds'];
console.log(bold('Patchbay quickstart') + dim(` — sandbox cloud at ${sandbox.url}, state in ${dataDir}/`));

try {
  if (Object.keys((await store.read('staging')).resources).length > 0) await rerun(engine, sandbox);
  else await story(engine, sandbox);
} finally {
  await sandbox.close();
}

/** Everything in the story's final shape already: a plan with nothing to do, and no cloud read. */
async function rerun(engine: Engine, sandbox: Sandbox): Promise<void> {
  heading(
    1,
    'Plan the environment again',
    'State from an earlier run is here; nothing was re-read to know that.',
  );
  const plan = await planStage(engine, 'per-service');
  console.log(indent(renderPlan(plan)));
  console.log(dim(`  reads: ${plan.reads} · ${callSummary(sandbox.counters.snapshot(), apis)}`));
  console.log(
    `\nRun ${bold('npx -y pnpm@12.4.2 quickstart --reset')} to replay the story from an empty cloud.`,
  );
}

async function story(engine: Engine, sandbox: Sandbox): Promise<void> {
  heading(1, 'Plan the processes', 'Strategy "single": all six services in one process, one runtime config.');
  console.log(indent(formatAllocation(allocationOf('initial'))));

  heading(
    2,
    'First apply',
    'Nothing exists yet: create the ECS cluster, task definition, service and two RDS instances.',
  );
  await planAndApply(engine, sandbox, 'initial');

  heading(3, 'Someone scales the service in the AWS console', 'desiredCount 2 → 5, outside Patchbay.');
  const service = sandbox.console.list('ecs').find((e) => e.kind === 'service');
  if (!service) throw new Error('the ECS service was not created');
  sandbox.console.edit('ecs', 'service', service.id, { desiredCount: 5 });
  console.log(`  console: ${service.id} desiredCount = 5`);

  heading(
    4,
    'Give every process more CPU (sizing.cpu 0.25 → 0.5 vCPU)',
    'Only the task definition changes (a new revision) and the service points at it; the console edit is kept.',
  );
  await planAndApply(engine, sandbox, 'more-cpu');
  const live = sandbox.console.get('ecs', 'service', service.id)?.data as
    | { desiredCount?: number }
    | undefined;
  console.log(`  console value kept: desiredCount = ${live?.desiredCount}`);

  heading(
    5,
    'Switch to one process per service',
    'Make before break: new units come up before the old one goes.',
  );
  const steps = planTransition(allocationOf('more-cpu'), allocationOf('per-service'));
  for (const [i, step] of steps.entries()) {
    const services = step.action === 'retire' ? step.removes : step.adds;
    console.log(
      `  ${i + 1}. ${step.action.padEnd(6)} unit ${step.unit.padEnd(9)} ${dim(services.join(', '))}`,
    );
  }
  await planAndApply(engine, sandbox, 'per-service', 'more-cpu');

  heading(6, 'Plan again', 'Nothing changed since the last apply: no read, no write.');
  const plan = await planStage(engine, 'per-service');
  console.log(indent(renderPlan(plan)));
  console.log(dim(`  reads: ${plan.reads}`));
  console.log(`\nRun the quickstart again: the state in ${dataDir}/ makes it plan nothing.`);
}

function allocationOf(stage: Stage): Allocation {
  return planAllocation(app, parseEnvironment(shopEnvironment(stage)));
}

/** Plans `stage`; `from` is the stage it moves away from, so kept units wait for new ones (make before break). */
async function planStage(engine: Engine, stage: Stage, from?: Stage): Promise<Plan> {
  const env = parseEnvironment(shopEnvironment(stage));
  const transitionFrom = from ? allocationOf(from) : undefined;
  return engine.plan(desiredResources(env, app, allocationOf(stage), { transitionFrom }));
}

async function planAndApply(engine: Engine, sandbox: Sandbox, stage: Stage, from?: Stage): Promise<void> {
  sandbox.counters.reset();
  const plan = await planStage(engine, stage, from);
  // A transition creates many resources: their attributes would drown the lines that matter.
  console.log(indent(renderPlan(plan, { collapseCreates: from !== undefined })));
  console.log(dim(`  plan read ${plan.reads} resource(s)`));
  const stop = showProgress(engine.events);
  const result = await engine.apply(plan).finally(stop);
  console.log(dim(`  API calls · ${callSummary(sandbox.counters.snapshot(), apis)}`));
  if (!result.ok) throw new Error(`apply did not finish cleanly: ${JSON.stringify(result.summary)}`);
}
