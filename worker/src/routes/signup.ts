// POST /v1/signup: a business creates its tenant and receives its first secret API key (shown once).
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonResponse } from "../schemas/common.ts";
import { SignupInput, SignupResult } from "../schemas/tenant.ts";
import { signup } from "../services/tenants/tenants.ts";
import type { App } from "./types.ts";

const route = createRoute({
  operationId: "signUpBusiness",
  description:
    "Creates the business (tenant) with its owner and returns its first secret API key. The key is shown only in this response and stored hashed. Slugs are unique (409 `CONFLICT`); reserved slugs are refused with 400. Rate limited per caller address (429 `RATE_LIMITED` with `Retry-After`).",
  security: [],
  method: "post",
  path: "/v1/signup",
  tags: ["Onboarding"],
  summary: "Create a business (tenant) and its owner",
  request: jsonBody(SignupInput),
  responses: {
    201: jsonResponse(SignupResult, "Created; the API key is shown only now"),
    ...errorResponses(409, 413, 429),
  },
});

export function registerSignup(app: App): void {
  app.openapi(route, async (c) => {
    const result = await signup({ db: c.var.db(), input: c.req.valid("json"), config: c.var.deps.config });
    return c.json(result, 201);
  });
}
