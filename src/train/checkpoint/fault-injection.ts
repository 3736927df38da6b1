// Fault injection for the crash tests (unset: no effect):
//   PREFKIT_FAULT_SAVE_DELAY_MS=N  sleeps N ms between the files of a checkpoint save, so a test can
//                                  kill -9 the process in the middle of one;
//   PREFKIT_FAULT_STEP_DELAY_MS=N  sleeps N ms after each training micro-batch, so a test can kill a
//                                  run at a chosen point before it ends.
function sleep(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function faultDelay(): void {
  sleep(Number(process.env.PREFKIT_FAULT_SAVE_DELAY_MS ?? 0));
}

export function faultStepDelay(): void {
  sleep(Number(process.env.PREFKIT_FAULT_STEP_DELAY_MS ?? 0));
}
