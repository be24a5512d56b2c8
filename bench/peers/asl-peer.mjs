// Peer for benchmark 3: executions/s of the npm package aws-local-stepfunctions on the SAME
// rendered definition, input and no-op task result as our interpreter (see InterpreterBench.java).
// Usage: node bench/peers/asl-peer.mjs <rendered-definition.json> <seconds>
// Prints one line: RESULT {"executions": n, "seconds": s, "execPerSec": x, "version": "..."}.
// The package is installed by the engine's bench/asl/package.json (npm ci --prefix bench/asl).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// aws-local-stepfunctions 3 uses Promise.withResolvers (Node >= 22); Node 20 needs this 5-line shim.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, '..', 'asl', 'node_modules', 'aws-local-stepfunctions');
const { StateMachine } = await import(join(pkgDir, JSON.parse(readFileSync(join(pkgDir, 'package.json'))).module));
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'))).version;

const [definitionFile, secondsArg] = process.argv.slice(2);
const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
const seconds = Number(secondsArg ?? '5');
const activatorArn = 'arn:aws:sqs:us-east-1:000000000000:activator-queue';
const processorArn = 'arn:aws:sqs:us-east-1:000000000000:processor-queue';
const input = (arn) => ({ eventSourceARN: arn, queueName: 'q', messageId: 'msg-1',
  parameters: { event: '{"scene":"s3://hsi-data/scenes/a.hdr"}' } });
const inputs = [input(activatorArn), input(processorArn)];
const jobResult = { JobId: 'job-1', JobName: 'activator', Status: 'SUCCEEDED',
  StatusReason: 'Essential container in task exited', JobQueue: 'q' };
// The same no-op task for both Batch states (our side uses a TaskInvoker returning this object).
const handlers = { ActivatorState: async () => jobResult, ProcessorState: async () => jobResult };
const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });

async function loop(budgetSeconds) {
  const end = performance.now() + budgetSeconds * 1000;
  const start = performance.now();
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) {
      const execution = machine.run(inputs[n & 1], {
        overrides: { taskResourceLocalHandlers: handlers },
        context: { Execution: { Id: 'arn:aws:states:us-east-1:000000000000:execution:pipeline:e' + n, Name: 'e' + n } },
      });
      const out = await execution.result;
      if (!out || !out.job || out.job.Status !== 'SUCCEEDED') {
        throw new Error('unexpected output ' + JSON.stringify(out));
      }
      n++;
    }
  }
  return { executions: n, seconds: (performance.now() - start) / 1000 };
}

await loop(Math.max(1, seconds / 2)); // warm-up (JIT), as on the Java side
const r = await loop(seconds);
console.log('RESULT ' + JSON.stringify({ ...r, execPerSec: r.executions / r.seconds, version, node: process.version }));
