// drizzleOf: the same drizzle instance as drizzle({ client, schema }), its relational config derived once per isolate.
import { Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { describe, expect, it } from "vitest";
import { drizzleOf } from "./drizzle.ts";
import * as schema from "./schema/index.ts";

// Never connected: pools open connections lazily, and nothing here queries.
const url = "postgres://nobody:nothing@127.0.0.1:9/none";

describe("drizzleOf", () => {
  it("derives the same relational config as drizzle({ client, schema })", () => {
    const pool = new Pool({ connectionString: url });
    const ours = drizzleOf(pool);
    const theirs = drizzle({ client: pool, schema });
    expect(ours._.tableNamesMap).toEqual(theirs._.tableNamesMap);
    expect(Object.keys(ours._.schema ?? {}).sort()).toEqual(Object.keys(theirs._.schema ?? {}).sort());
    expect(Object.keys(ours._.schema ?? {}).length).toBeGreaterThan(10);
    expect(ours.$client).toBe(pool);
    // The same SQL for the same query.
    const q = (db: typeof ours) => db.select().from(schema.bookings).where(undefined).toSQL();
    expect(q(ours)).toEqual(q(theirs));
  });

  it("is not re-derived for each instance (the worker builds one per request's connection)", () => {
    const a = drizzleOf(new Pool({ connectionString: url }));
    const b = drizzleOf(new Pool({ connectionString: url }));
    expect(a._.schema).toBeDefined();
    expect(a._.schema).toBe(b._.schema);
    expect(a.$client).not.toBe(b.$client);
  });
});
