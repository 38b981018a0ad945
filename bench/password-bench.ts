// The cost of the password KDF (issue 12): PBKDF2-HMAC-SHA256 at Workers' 100,000-iteration cap plus the pepper,
// timed in this process (the same WebCrypto call the worker makes) and end to end as a sign-in through the worker.

import type { RunningStack } from "../scripts/lib/stack.ts";
import { hashPassword, parsePasswordPeppers, verifyPassword } from "../worker/src/lib/crypto.ts";
import { api, benchRounds, inRounds, signupBenchTenant } from "./lib.ts";

/** Runs per round: 5 rounds of 4 = the 20 of one run before. */
const RUNS_PER_ROUND = 4;

function timed(fn: () => Promise<unknown>) {
  return inRounds(benchRounds(), async () => {
    const out: number[] = [];
    for (let i = 0; i < RUNS_PER_ROUND; i++) {
      const t0 = performance.now();
      await fn();
      out.push(performance.now() - t0);
    }
    return out;
  });
}

export async function benchPassword(stack: RunningStack) {
  const peppers = parsePasswordPeppers(`bench:${"p".repeat(40)}`);
  const stored = await hashPassword("correct horse battery staple", peppers);
  const hash = await timed(() => hashPassword("correct horse battery staple", peppers));
  const verify = await timed(() => verifyPassword("correct horse battery staple", stored, peppers));
  const slug = `pw-${process.pid}`;
  await signupBenchTenant(stack, slug);
  const signIn = async () => {
    const res = await api(
      stack.baseUrl,
      "POST",
      "/v1/auth/sessions",
      { email: `${slug}@bench.example`, password: "bench-password-123" },
      undefined,
      { origin: stack.baseUrl },
    );
    if (res.status !== 201) throw new Error(`sign-in answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
  await signIn();
  const signInMs = await timed(signIn);
  return { iterations: 100_000, hashMs: hash, verifyMs: verify, signInThroughWorkerMs: signInMs };
}
