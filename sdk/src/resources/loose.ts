// Operations the dashboard needs before their routes are in the generated contract (the session and the calendar):
// called through the same transport, typed by hand in their resource files. Once `npm run generate` lists them,
// their operation keys type-check as they are.
import type { Call, CallOptions } from "../http.ts";

export interface LooseInput {
  path?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

export type LooseCall = <T>(op: string, input: LooseInput, options?: CallOptions) => Promise<T>;

export const loose = (call: Call) => call as unknown as LooseCall;
