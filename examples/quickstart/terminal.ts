import { styleText } from 'node:util';
import type { EngineEvents } from '@patchbay/core';

/** Terminal output of the quickstart: headings, apply progress and API call summaries. */
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (style: Parameters<typeof styleText>[0], text: string) =>
  color ? styleText(style, text) : text;

export const dim = (text: string) => paint('dim', text);
export const bold = (text: string) => paint('bold', text);

export function heading(step: number, title: string, why?: string): void {
  console.log(`\n${bold(`── ${step}. ${title} `.padEnd(78, '─'))}`);
  if (why) console.log(dim(why));
}

export function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => (line ? by + line : line))
    .join('\n');
}

/** Prints one line per finished action, retries and progress messages while an apply runs. */
export function showProgress(events: EngineEvents): () => void {
  // Pollers report the same status many times; show each new status once.
  const lastMessage = new Map<string, string>();
  const onProgress = (e: { id: string; message: string }) => {
    if (lastMessage.get(e.id) === e.message) return;
    lastMessage.set(e.id, e.message);
    console.log(dim(`    … ${e.id}: ${e.message}`));
  };
  const onFinished = (e: { id: string; kind: string; outcome: string; durationMs: number }) =>
    console.log(
      `  ${paint('green', '✓')} ${e.id.padEnd(26)} ${e.outcome.padEnd(9)} ${dim(`${e.durationMs} ms`)}`,
    );
  const onFailed = (e: { id: string; error: string }) =>
    console.log(`  ${paint('red', '✗')} ${e.id}: ${e.error}`);
  const onRetry = (e: {
    id: string;
    operation: string;
    attempt: number;
    delayMs: number;
    errorKind: string;
  }) =>
    console.log(dim(`    ↻ ${e.id}: ${e.operation} ${e.errorKind}, retry ${e.attempt} in ${e.delayMs} ms`));
  events.on('action:progress', onProgress);
  events.on('action:finished', onFinished);
  events.on('action:failed', onFailed);
  events.on('retry:scheduled', onRetry);
  return () => {
    events.off('action:progress', onProgress);
    events.off('action:finished', onFinished);
    events.off('action:failed', onFailed);
    events.off('retry:scheduled', onRetry);
  };
}

/** `ecs: 1 RegisterTaskDefinition, 2 DescribeServices · rds: none` from a sandbox counters snapshot. */
export function callSummary(snapshot: Record<string, number>, apis: readonly string[]): string {
  return apis
    .map((api) => {
      const calls = Object.entries(snapshot)
        .filter(([key]) => key.startsWith(`${api}.`))
        .map(([key, n]) => `${n} ${key.slice(api.length + 1)}`);
      return `${api}: ${calls.length ? calls.join(', ') : 'none'}`;
    })
    .join(dim(' · '));
}
