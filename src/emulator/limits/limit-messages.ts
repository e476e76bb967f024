/**
 * Error messages of the limits. The thread-threshold wording is Autotask's (API doc §8.3, §13.25);
 * the hourly-threshold wording is invented by the emulator (Autotask's is not documented, §14 q2).
 */

/** Autotask's thread-threshold message (observed; §9.3). */
export function threadThresholdMessage(threadLimit: number): string {
  return `The Autotask API thread threshold of ${threadLimit} threads has been exceeded.`;
}

/** Emulator-invented: the exact hourly-threshold wording is unknown. Contains "threshold". */
export function hourlyThresholdMessage(hourlyLimit: number): string {
  return (
    `The external request threshold of ${hourlyLimit} requests per 60 minutes has been exceeded. ` +
    'Requests will be refused until usage drops below the threshold.'
  );
}
