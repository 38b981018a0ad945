// drizzle instances over the Neon driver without re-deriving the relational schema each time: the worker builds one
// per request (its Pool) and one per pooled connection, and drizzle() walked every table's relations on each call —
// 14 % of workerd's CPU in an HTTP booking's profile (`npm run profile -- booking`). Derived once per isolate here.
import { createTableRelationsHelpers, extractTablesRelationalConfig } from "drizzle-orm";
import { NeonDatabase, NeonSession } from "drizzle-orm/neon-serverless";
import { PgDialect } from "drizzle-orm/pg-core";
import * as schema from "./schema/index.ts";

type Client = ConstructorParameters<typeof NeonSession>[0];
type Relational = ConstructorParameters<typeof NeonDatabase<typeof schema>>[2];

let relational: Relational | undefined;

/** What drizzle({ client, schema }) builds, with the schema's relational config derived on the first call only. */
export function drizzleOf(client: Client): NeonDatabase<typeof schema> & { $client: Client } {
  if (!relational) {
    const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
    relational = {
      fullSchema: schema,
      schema: tables.tables,
      tableNamesMap: tables.tableNamesMap,
    } as unknown as Relational;
  }
  const dialect = new PgDialect();
  const db = new NeonDatabase(dialect, new NeonSession(client, dialect, relational, {}), relational);
  return Object.assign(db, { $client: client });
}
