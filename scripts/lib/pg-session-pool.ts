// A small session pooler for the local WebSocket proxy, standing in for Neon's pooler: a Worker opens a fresh
// database connection per request, and without a pooler every one of them would fork a new Postgres backend.
// Server connections are kept per (user, database, password) and handed to the next client after a reset: DISCARD ALL
// except its DISCARD PLANS. Neon's pooler (PgBouncer in transaction mode) resets nothing between clients, so server
// sessions keep their cached plans there; dropping them here made every request plan its queries again.
import { createConnection, type Socket } from "node:net";

const PROTOCOL_3 = 196608;
/** What DISCARD ALL does (PostgreSQL docs), less DISCARD PLANS: settings, cursors, prepared statements, listeners, locks, temp objects. */
const SESSION_RESET = [
  "CLOSE ALL",
  "SET SESSION AUTHORIZATION DEFAULT",
  "RESET ALL",
  "DEALLOCATE ALL",
  "UNLISTEN *",
  "SELECT pg_advisory_unlock_all()",
  "DISCARD TEMP",
  "DISCARD SEQUENCES",
].join("; ");
const MAX_IDLE_PER_KEY = 64;

/** Splits a Postgres protocol byte stream (type byte + int32 length) into whole messages, across chunk borders. */
export class MessageStream {
  private pending: Buffer = Buffer.alloc(0);
  constructor(private readonly onMessage: (type: number, message: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 5) {
      const length = this.pending.readInt32BE(1);
      if (this.pending.length < length + 1) return;
      const message = this.pending.subarray(0, length + 1);
      this.pending = this.pending.subarray(length + 1);
      this.onMessage(message[0]!, message);
    }
  }

  get midMessage(): boolean {
    return this.pending.length > 0;
  }
}

interface ServerConnection {
  socket: Socket;
  key: string;
  /** Everything the server sent up to its first ReadyForQuery: replayed to clients that reuse the connection. */
  greeting: Buffer;
  fromServer: MessageStream;
  status: number; // last ReadyForQuery status: 'I' idle, 'T' in transaction, 'E' failed transaction
  /** Queries and Syncs sent whose ReadyForQuery has not come back: a session is reusable only at zero. */
  awaiting: number;
  /** Extended-protocol messages sent since the last Sync (the server waits for that Sync). */
  unsynced: boolean;
  broken: boolean;
  onServerMessage?: (type: number, message: Buffer) => void;
  /** The attached client's sink: every chunk from the server, as it came. */
  forward?: ((chunk: Buffer) => void) | undefined;
}

export interface ClientSide {
  send(data: Buffer): void;
  close(): void;
}

/** Parses the start-up packet and a pipelined password message; null if the bytes are not (yet) that. */
/** The parameters (user, database, application_name …) of a complete protocol-3 start-up packet; null until then. */
export function startupParams(buf: Buffer): Map<string, string> | null {
  if (buf.length < 8) return null;
  const length = buf.readInt32BE(0);
  if (buf.readInt32BE(4) !== PROTOCOL_3 || buf.length < length) return null;
  const params = buf
    .subarray(8, length - 1)
    .toString("utf8")
    .split("\0");
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < params.length; i += 2) values.set(params[i]!, params[i + 1]!);
  return values;
}

export function parseStartup(buf: Buffer): { key: string; startupLength: number; totalLength: number } | null {
  const values = startupParams(buf);
  if (!values) return null;
  const length = buf.readInt32BE(0);
  const rest = buf.subarray(length);
  if (rest.length < 5 || rest[0] !== 0x70 /* 'p' */) return null;
  const passwordLength = rest.readInt32BE(1);
  if (rest.length < passwordLength + 1) return null;
  const password = rest.subarray(5, passwordLength + 1).toString("utf8");
  const key = [values.get("user") ?? "", values.get("database") ?? "", password, values.get("options") ?? ""].join(
    "\0",
  );
  return { key, startupLength: length, totalLength: length + passwordLength + 1 };
}

export class SessionPool {
  private readonly idle = new Map<string, ServerConnection[]>();
  private readonly all = new Set<ServerConnection>();

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Serves one client whose start-up bytes (start-up packet + password) are `hello`; returns the sink for its bytes. */
  attach(key: string, hello: Buffer, client: ClientSide): { write(data: Buffer): void; detach(): void } {
    let conn = this.takeIdle(key);
    const reused = conn !== undefined;
    conn ??= this.open(key, hello);
    const server = conn;
    let detach: () => void = () => {};
    // Messages are parsed to follow the session, but written on in whole chunks: one write per chunk, not per message.
    let outgoing: Buffer[] = [];
    const fromClient = new MessageStream((type, message) => {
      // Terminate: the client is done. The server session stays open for the next client; the client's socket is
      // closed by us, as Postgres itself would close it.
      if (type === 0x58 /* 'X' */) {
        flush();
        detach();
        client.close();
        return;
      }
      if (type === 0x51 /* 'Q' */ || type === 0x53 /* 'S' */) server.awaiting++;
      server.unsynced = type !== 0x51 && type !== 0x53;
      outgoing.push(message);
    });
    const flush = () => {
      if (outgoing.length === 0) return;
      server.socket.write(outgoing.length === 1 ? outgoing[0]! : Buffer.concat(outgoing));
      outgoing = [];
    };
    server.forward = (chunk) => client.send(chunk);
    if (reused) client.send(server.greeting);
    let detached = false;
    const onClose = () => {
      if (!detached) client.close();
    };
    server.socket.once("close", onClose);
    detach = () => {
      if (detached) return;
      detached = true;
      server.socket.off("close", onClose);
      server.forward = undefined;
      if (fromClient.midMessage) server.broken = true;
      void this.release(server);
    };
    return {
      write: (data) => {
        fromClient.push(data);
        flush();
      },
      detach: () => detach(),
    };
  }

  private takeIdle(key: string): ServerConnection | undefined {
    const list = this.idle.get(key);
    const conn = list?.pop();
    if (list && list.length === 0) this.idle.delete(key);
    return conn;
  }

  private open(key: string, hello: Buffer): ServerConnection {
    const socket = createConnection({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    const conn: ServerConnection = {
      socket,
      key,
      greeting: Buffer.alloc(0),
      status: 0,
      awaiting: 0,
      unsynced: false,
      broken: false,
      fromServer: new MessageStream((type, message) => {
        if (conn.status === 0) conn.greeting = Buffer.concat([conn.greeting, message]);
        if (type === 0x5a /* 'Z' ReadyForQuery */) {
          conn.status = message[5]!;
          if (conn.awaiting > 0) conn.awaiting--;
        }
        if (type === 0x45 /* 'E' */ && conn.status === 0) conn.broken = true; // authentication failed
        conn.onServerMessage?.(type, message);
      }),
    };
    socket.on("data", (chunk) => {
      conn.fromServer.push(chunk);
      conn.forward?.(chunk);
    });
    socket.on("error", () => {
      conn.broken = true;
    });
    socket.on("close", () => {
      conn.broken = true;
      this.forget(conn);
    });
    this.all.add(conn);
    socket.write(hello);
    return conn;
  }

  /** Resets the session (ROLLBACK if a transaction was left open, then SESSION_RESET) and keeps it for reuse. */
  private async release(conn: ServerConnection): Promise<void> {
    const idleNow = () => this.idle.get(conn.key)?.length ?? 0;
    // A client that left mid-query (answers still to come) or mid-batch leaves a session nobody can safely reuse.
    const busy = conn.awaiting > 0 || conn.unsynced || conn.fromServer.midMessage;
    if (conn.broken || conn.status === 0 || busy || idleNow() >= MAX_IDLE_PER_KEY) {
      conn.socket.destroy();
      return;
    }
    const rolledBack = conn.status === 0x49 || (await this.simpleQuery(conn, "ROLLBACK"));
    const reset = rolledBack && (await this.simpleQuery(conn, SESSION_RESET));
    if (!reset || conn.broken || conn.status !== 0x49 || idleNow() >= MAX_IDLE_PER_KEY) {
      conn.socket.destroy();
      return;
    }
    // The idle list is read only now, after the resets: one read before them was replaced by another release's list
    // whenever the key's list had emptied meanwhile, and the sessions in it were lost — open, but in no list, never
    // reused nor closed. Under load they piled up to max_connections.
    const list = this.idle.get(conn.key) ?? [];
    list.push(conn);
    this.idle.set(conn.key, list);
  }

  /** True when the statement completed without an error and the session is idle again. */
  private simpleQuery(conn: ServerConnection, text: string): Promise<boolean> {
    return new Promise<boolean>((ok) => {
      let failed = false;
      const timer = setTimeout(() => finish(false), 2000);
      const finish = (result: boolean) => {
        clearTimeout(timer);
        conn.onServerMessage = undefined;
        ok(result);
      };
      conn.onServerMessage = (type, message) => {
        if (type === 0x45 /* 'E' */) failed = true;
        if (type === 0x5a /* 'Z' */) finish(!failed && message[5] === 0x49);
      };
      const body = Buffer.from(`${text}\0`, "utf8");
      const query = Buffer.alloc(5 + body.length);
      query[0] = 0x51; // 'Q'
      query.writeInt32BE(4 + body.length, 1);
      body.copy(query, 5);
      conn.socket.write(query);
    });
  }

  private forget(conn: ServerConnection): void {
    this.all.delete(conn);
    const list = this.idle.get(conn.key);
    if (!list) return;
    const i = list.indexOf(conn);
    if (i >= 0) list.splice(i, 1);
  }

  /** Server sessions open now, and how many of them wait idle for a client. */
  sessionCounts(): { open: number; idle: number } {
    let idle = 0;
    for (const list of this.idle.values()) idle += list.length;
    return { open: this.all.size, idle };
  }

  close(): void {
    for (const conn of this.all) conn.socket.destroy();
    this.all.clear();
    this.idle.clear();
  }
}
