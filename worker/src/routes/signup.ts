// POST /v1/signup: a business creates its tenant and receives its first secret API key (shown once).
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonResponse } from "../schemas/common.ts";
import { SignupInput, SignupResult } from "../schemas/tenant.ts";
import { signup } from "../services/tenants/tenants.ts";
import type { App } from "./types.ts";

const route = createRoute({
  method: "post",
  path: "/v1/signup",
  tags: ["Onboarding"],
  summary: "Create a business (tenant) and its owner",
  request: jsonBody(SignupInput),
  responses: { 201: jsonResponse(SignupResult, "Created; the API key is shown only now"), ...errorResponses(400, 409) },
});

export function registerSignup(app: App): void {
  app.openapi(route, async (c) => {
    const result = await signup({ db: c.var.db(), input: c.req.valid("json") });
    return c.json(result, 201);
  });
}
