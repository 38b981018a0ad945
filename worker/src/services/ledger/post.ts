// Posting to the ledger inside the caller's transaction (invariant 3: a money movement and its entry commit together).
// Accounts are created on first use; a second posting of the same source is a no-op that returns the first entry —
// the unique constraint on (tenant, source) decides, never a check-then-insert.
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { inlined, type Tx } from "../../db/client.ts";
import { journalEntries, journalLines } from "../../db/schema/index.ts";
import { accountTypeOf, checkBalanced, type PostingLine, reversalOf } from "../../domain/ledger.ts";
import { NotFound } from "../../errors.ts";
import { newId } from "../../lib/ids.ts";
import type { LedgerEntry } from "../../schemas/ledger.ts";

/** The fact an entry records: `stripe_event` + `evt_…`, `booking_completion` + `bkg_…`, `refund` + `rfd_…` … */
export interface LedgerSource {
  type: string;
  id: string;
}

export interface PostEntryInput {
  tenantId: string;
  occurredAt: Date;
  kind: string;
  source: LedgerSource;
  lines: readonly PostingLine[];
  reversesEntryId?: string | undefined;
}

export interface PostedEntry {
  entry: LedgerEntry;
  /** false: the source had posted before; `entry` is that first entry, and nothing was written now. */
  created: boolean;
}

const SOURCE_TYPE = /^[a-z][a-z_]{0,63}$/;

function checkInput(input: PostEntryInput): void {
  // A failure here is our bug (the services build these values), so a plain Error: a 500, logged.
  if (!SOURCE_TYPE.test(input.source.type)) throw new Error(`ledger source type: ${input.source.type}`);
  if (input.source.id.length < 1 || input.source.id.length > 200) throw new Error("ledger source id length");
  if (Number.isNaN(input.occurredAt.getTime())) throw new Error("ledger occurredAt is not a date");
  checkBalanced(input.lines);
}

/** Accounts (on first use), the entry and its lines in one statement and one round trip. */
function postStatement(id: string, input: PostEntryInput): SQL {
  const t = input.tenantId;
  const accounts = [...new Set(input.lines.map((l) => l.account))].map(
    (code) => sql`(${t}, ${code}, ${accountTypeOf(code)})`,
  );
  const lines = input.lines.map(
    (l) =>
      sql`(${l.account}, ${l.amount}::bigint, ${l.currency}, ${l.bookingId}::text, ${l.staffId}::text, ${l.serviceId}::text)`,
  );
  return sql`
    WITH accounts AS (
      INSERT INTO ledger_accounts (tenant_id, code, type) VALUES ${sql.join(accounts, sql`, `)}
      ON CONFLICT DO NOTHING
    ), entry AS (
      INSERT INTO journal_entries (id, tenant_id, occurred_at, kind, source_type, source_id, reverses_entry_id)
      VALUES (${id}, ${t}, ${input.occurredAt}::timestamptz, ${input.kind}, ${input.source.type}, ${input.source.id},
              ${input.reversesEntryId ?? null}::text)
      ON CONFLICT (tenant_id, source_type, source_id) DO NOTHING
      RETURNING id
    ), lines AS (
      INSERT INTO journal_lines (tenant_id, entry_id, account, amount, currency, booking_id, staff_id, service_id)
      SELECT ${t}, entry.id, v.account, v.amount, v.currency, v.booking_id, v.staff_id, v.service_id
      FROM entry, (VALUES ${sql.join(lines, sql`, `)}) AS v (account, amount, currency, booking_id, staff_id, service_id)
      RETURNING 1
    )
    SELECT id FROM entry`;
}

/**
 * Posts one balanced entry in the caller's transaction. Lines must sum to zero per currency (checked here, and by the
 * database at COMMIT); an empty list posts nothing and returns null (nothing moved). Replays return the first entry.
 * @example await postEntry(tx, { tenantId, occurredAt, kind: p.kind, source: { type: "stripe_event", id: evt.id }, lines: p.lines })
 */
export async function postEntry(tx: Tx, input: PostEntryInput): Promise<PostedEntry | null> {
  if (input.lines.length === 0) return null;
  checkInput(input);
  const id = newId("jre");
  const result = await tx.execute(inlined(postStatement(id, input)));
  if (result.rows.length === 1)
    return {
      created: true,
      entry: {
        id,
        occurredAt: input.occurredAt.toISOString(),
        kind: input.kind,
        source: { type: input.source.type, id: input.source.id },
        reversesEntryId: input.reversesEntryId ?? null,
        lines: input.lines.map((l) => ({ ...l })),
      },
    };
  const [first] = await tx
    .select({ id: journalEntries.id })
    .from(journalEntries)
    .where(and(eq(journalEntries.sourceType, input.source.type), eq(journalEntries.sourceId, input.source.id)));
  if (!first) throw new Error(`ledger: source ${input.source.type}:${input.source.id} neither posted nor found`);
  const [entry] = await loadEntries(tx, [first.id]);
  if (!entry) throw new Error(`ledger: entry ${first.id} vanished`);
  return { created: false, entry };
}

/**
 * Posts the entry that undoes `entryId` (every line negated), naming it: corrections never edit. An entry is
 * reversed at most once (a second reversal under another source is a 409); under the same source it is a replay.
 */
export async function reverseEntry(
  tx: Tx,
  input: { tenantId: string; entryId: string; occurredAt: Date; source?: LedgerSource; kind?: string },
): Promise<PostedEntry> {
  const [original] = await loadEntries(tx, [input.entryId]);
  if (!original) throw new NotFound("Journal entry");
  const posted = await postEntry(tx, {
    tenantId: input.tenantId,
    occurredAt: input.occurredAt,
    kind: input.kind ?? "reversal",
    source: input.source ?? { type: "reversal", id: input.entryId },
    lines: reversalOf(original.lines),
    reversesEntryId: input.entryId,
  });
  if (!posted) throw new Error("ledger: an entry without lines cannot exist");
  return posted;
}

type EntryRow = typeof journalEntries.$inferSelect;

/** Entries by id, in the order given, each with its lines in the order they were written. */
export async function loadEntries(tx: Tx, ids: readonly string[]): Promise<LedgerEntry[]> {
  if (ids.length === 0) return [];
  // One after the other: a transaction's connection runs one statement at a time (its BEGIN rides on the first).
  const entries = await tx
    .select()
    .from(journalEntries)
    .where(inArray(journalEntries.id, [...ids]));
  const lines = await tx
    .select()
    .from(journalLines)
    .where(inArray(journalLines.entryId, [...ids]))
    .orderBy(asc(journalLines.id));
  const byId = new Map<string, EntryRow>(entries.map((e) => [e.id, e]));
  return ids.flatMap((id) => {
    const e = byId.get(id);
    if (!e) return [];
    return [
      {
        id: e.id,
        occurredAt: e.occurredAt.toISOString(),
        kind: e.kind,
        source: { type: e.sourceType, id: e.sourceId },
        reversesEntryId: e.reversesEntryId,
        lines: lines
          .filter((l) => l.entryId === id)
          .map((l) => ({
            account: l.account,
            amount: l.amount,
            currency: l.currency,
            bookingId: l.bookingId,
            staffId: l.staffId,
            serviceId: l.serviceId,
          })),
      },
    ];
  });
}
