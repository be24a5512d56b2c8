// Executions/s of the npm package aws-local-stepfunctions on the same rendered pipeline
// definition with a no-op task, for a side-by-side ratio with InterpreterBench (run.sh).
// Usage: node bench.mjs <rendered-definition.json> [seconds]
import { readFileSync } from 'node:fs';

// Node 20 lacks Promise.withResolvers, which the package uses.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const { StateMachine } = await import('aws-local-stepfunctions');

const definition = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const seconds = Number(process.argv[3] ?? 5);
const machine = new StateMachine(definition);
const batchResult = {
  JobId: 'job-1', JobName: 'activator', Status: 'SUCCEEDED',
  StatusReason: 'Essential container in task exited', JobQueue: 'q',
};
// What ReadJobOutcome's aws-sdk:s3:getObject returns (ADR 0166).
const outcomeRead = {
  Body: '{"status":"done","message":"bench","outputs":{}}',
  ContentLength: 48, ContentType: 'application/json',
};
const handlers = {
  ActivatorState: async () => batchResult,
  ProcessorState: async () => batchResult,
  ReadJobOutcome: async () => outcomeRead,
};
const input = (source) => ({
  eventSourceARN: source, queueName: 'q', messageId: 'msg-1',
  parameters: { event: '{"scene":"s3://hsi-data/scenes/a.hdr"}' },
});
const inputs = [
  input('arn:aws:sqs:us-east-1:000000000000:activator-queue'),
  input('arn:aws:sqs:us-east-1:000000000000:processor-queue'),
];

async function run(durationSeconds) {
  const end = performance.now() + durationSeconds * 1000;
  const start = performance.now();
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 20; i++) {
      const execution = machine.run(inputs[n & 1], {
        overrides: { taskResourceLocalHandlers: handlers },
        context: { Execution: { Id: `arn:aws:states:us-east-1:000000000000:execution:pipeline:e${n}` } },
      });
      const out = await execution.result;
      if (!out || !out.job || !out.outcome) throw new Error(`unexpected output ${JSON.stringify(out)}`);
      n++;
    }
  }
  return n / ((performance.now() - start) / 1000);
}

await run(Math.max(2, seconds / 2)); // warm-up (JIT)
// Same protocol as InterpreterBench: 1-second windows, best and median.
const rates = [];
for (let i = 0; i < Math.max(1, Math.floor(seconds)); i++) rates.push(await run(1));
rates.sort((a, b) => a - b);
console.log(`RESULT node_aws_local_stepfunctions_exec_per_s_best ${rates[rates.length - 1].toFixed(0)}`);
console.log(`RESULT node_aws_local_stepfunctions_exec_per_s_median ${rates[Math.floor(rates.length / 2)].toFixed(0)}`);
