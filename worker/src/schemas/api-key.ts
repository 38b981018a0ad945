// Secret API keys as the owner manages them: listed without their secret, shown once when created.
import { z } from "@hono/zod-openapi";
import { PathId, SafeName } from "./staff.ts";

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z
      .string()
      .openapi({ description: "The first characters of the secret, to recognise it", example: "sk_4f9a2c" }),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyCreate = z.object({ name: SafeName }).strict().openapi("ApiKeyCreate");
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;

export const ApiKeyCreated = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    key: z.string().openapi({ description: "Secret API key, shown only now", example: "sk_…" }),
  })
  .openapi("ApiKeyCreated");
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

export const ApiKeyList = z.object({ data: z.array(ApiKey), nextCursor: z.string().nullable() }).openapi("ApiKeyList");
export type ApiKeyList = z.infer<typeof ApiKeyList>;

export const ApiKeyIdParam = z.object({ id: PathId("id", "key") });
