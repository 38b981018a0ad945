// Retry delays for failed outbox attempts: exponential backoff with full jitter, capped, so a provider that comes
// back is not hit by every waiting message at the same second.
export interface RetryPolicy {
  baseSeconds: number;
  capSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseSeconds: 2, capSeconds: 300 };

/** Delay before the next delivery, given how many deliveries already happened (1 after the first). */
export function retryDelaySeconds(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts, 1) - 1, 30);
  const ceiling = Math.min(policy.capSeconds, policy.baseSeconds * 2 ** exponent);
  return Math.floor(random() * (ceiling + 1));
}
