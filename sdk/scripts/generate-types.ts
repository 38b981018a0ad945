// Turns the worker's OpenAPI 3.1 document into TypeScript: one named type per component schema and one `Operations`
// table keyed by "METHOD /path" with its path, query, body and success response; and the runtime facts the transport
// reads from the contract (which operations accept an `Idempotency-Key`). Pure: the document in, source text out.
// Operations are keyed by method and path, never by operationId, so renaming an operation changes nothing here.

export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
  default?: unknown;
  [key: string]: unknown;
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  schema: Schema;
}

/** A parameter, inline or as a `$ref` into `components.parameters`. */
type ParameterOrRef = Parameter | { $ref: string };

interface RequestBody {
  required?: boolean;
  content: Record<string, { schema: Schema }>;
}

interface ResponseObject {
  description?: string;
  content?: Record<string, { schema: Schema }>;
}

type Ref = { $ref: string };

interface Operation {
  summary?: string;
  description?: string;
  parameters?: ParameterOrRef[];
  requestBody?: RequestBody | Ref;
  responses: Record<string, ResponseObject | Ref>;
}

/** An operation with every `$ref` to a parameter, request body or response replaced by its target. */
interface ResolvedOperation extends Omit<Operation, "parameters" | "requestBody" | "responses"> {
  requestBody?: RequestBody;
  responses: Record<string, ResponseObject>;
}

/** A path item: its operations by method, and parameters shared by all of them. */
type PathItem = { [M in (typeof METHODS)[number]]?: Operation } & { parameters?: ParameterOrRef[] };

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, PathItem>;
  components?: {
    schemas?: Record<string, Schema>;
    parameters?: Record<string, Parameter>;
    requestBodies?: Record<string, RequestBody>;
    responses?: Record<string, ResponseObject>;
  };
  [key: string]: unknown;
}

export const METHODS = ["get", "put", "post", "patch", "delete"] as const;

/** Component names that would shadow a global in the generated module or in user code. */
const RENAMED: Record<string, string> = { Error: "ErrorResponse" };
const typeName = (name: string) => RENAMED[name] ?? name;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

function doc(lines: (string | undefined)[], indent: string): string {
  const text = lines.filter((l): l is string => Boolean(l)).join("\n\n");
  if (!text) return "";
  const body = text.replaceAll("*/", "*\\/").split("\n");
  return body.length === 1
    ? `${indent}/** ${body[0]} */\n`
    : `${indent}/**\n${body.map((l) => `${indent} * ${l}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

function schemaDoc(s: Schema, indent: string): string {
  return doc([s.description, s.default === undefined ? undefined : `@default ${JSON.stringify(s.default)}`], indent);
}

/** A schema that only says "this may also be null" (zod-openapi's way of writing `X.nullable()` around a $ref). */
const isNullMarker = (s: Schema) =>
  Array.isArray(s.type) && s.type.includes("null") && Object.keys(s).every((k) => k === "type" || k === "description");

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  return unique.length === 1 ? unique[0]! : unique.join(" | ");
}

/** Parenthesises a union or intersection before `[]` or `&` binds to it. */
function wrap(t: string): string {
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === "{" || c === "(" || c === "<" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === ">" || c === "]") depth--;
    else if (depth === 0 && (c === "|" || c === "&")) return `(${t})`;
  }
  return t;
}

export function typeOf(s: Schema, indent = ""): string {
  if (s.$ref) return typeName(s.$ref.replace(/^#\/components\/schemas\//, ""));
  if (s.allOf) {
    const nullable = s.allOf.some(isNullMarker);
    const parts = s.allOf.filter((p) => !isNullMarker(p)).map((p) => wrap(typeOf(p, indent)));
    const joined = parts.join(" & ") || "unknown";
    return nullable ? `${parts.length > 1 ? `(${joined})` : joined} | null` : joined;
  }
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return union(alternatives.map((p) => typeOf(p, indent)));
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return union(s.enum.map((v) => JSON.stringify(v)));
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length === 0) return "unknown";
  return union(types.map((t) => typeOfKind(t, s, indent)));
}

function typeOfKind(kind: string, s: Schema, indent: string): string {
  switch (kind) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return s.items ? `${wrap(typeOf(s.items, indent))}[]` : "unknown[]";
    case "object":
      return objectType(s, indent);
    default:
      return "unknown";
  }
}

function objectType(s: Schema, indent: string): string {
  const props = Object.entries(s.properties ?? {});
  const extra = s.additionalProperties;
  if (props.length === 0)
    return extra && typeof extra === "object" ? `Record<string, ${typeOf(extra, indent)}>` : "Record<string, unknown>";
  const inner = `${indent}  `;
  const required = new Set(s.required ?? []);
  const lines = props.map(
    ([name, p]) => `${schemaDoc(p, inner)}${inner}${key(name)}${required.has(name) ? "" : "?"}: ${typeOf(p, inner)};`,
  );
  if (extra === true || (extra && typeof extra === "object")) lines.push(`${inner}[key: string]: unknown;`);
  return `{\n${lines.join("\n")}\n${indent}}`;
}

function paramsType(params: Parameter[], indent: string): string {
  const inner = `${indent}  `;
  const lines = params.map(
    (p) =>
      `${doc([p.description ?? p.schema.description, p.schema.default === undefined ? undefined : `@default ${JSON.stringify(p.schema.default)}`], inner)}${inner}${key(p.name)}${p.required ? "" : "?"}: ${typeOf(p.schema, inner)};`,
  );
  return `{\n${lines.join("\n")}\n${indent}}`;
}

function responseType(op: ResolvedOperation): string {
  const ok = Object.keys(op.responses)
    .filter((status) => /^2\d\d$/.test(status))
    .sort();
  const schema = ok.map((status) => op.responses[status]?.content?.["application/json"]?.schema).find(Boolean);
  if (schema) return typeOf(schema, "    ");
  // A text document (the reports' CSV): the transport hands its text back as it came.
  return ok.some((status) => op.responses[status]?.content?.["text/csv"]) ? "string" : "undefined";
}

function operationEntry(method: string, path: string, op: ResolvedOperation, params: Parameter[]): string {
  const fields: string[] = [];
  const pathParams = params.filter((p) => p.in === "path");
  const queryParams = params.filter((p) => p.in === "query");
  if (pathParams.length) fields.push(`    path: ${paramsType(pathParams, "    ")};`);
  if (queryParams.length)
    fields.push(`    query${queryParams.some((p) => p.required) ? "" : "?"}: ${paramsType(queryParams, "    ")};`);
  const body = op.requestBody?.content["application/json"]?.schema;
  if (body) fields.push(`    body${op.requestBody?.required ? "" : "?"}: ${typeOf(body, "    ")};`);
  fields.push(`    response: ${responseType(op)};`);
  const accepts = acceptsIdempotencyKey(params);
  const notes = [op.summary, op.description, accepts ? "Accepts an `Idempotency-Key` header." : undefined];
  return `${doc(notes, "  ")}  ${JSON.stringify(`${method.toUpperCase()} ${path}`)}: {\n${fields.join("\n")}\n  };`;
}

/** The generated module's source (unformatted; the generator runs Biome over it). */
export function generateTypes(document: OpenApiDocument): string {
  const out: string[] = [
    "// Generated by sdk/scripts/generate.ts from the worker's OpenAPI document (sdk/src/generated/openapi.json).",
    "// Do not edit: change the zod schemas in worker/src/schemas and run `npm run generate -w @bookra/sdk`.",
    "",
  ];
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    out.push(`${schemaDoc(schema, "")}export type ${typeName(name)} = ${typeOf(schema)};`, "");
  }
  out.push("/** Every operation of the API, keyed by method and path template. */", "export interface Operations {");
  for (const { path, method, op, params } of operations(document)) out.push(operationEntry(method, path, op, params));
  out.push("}", "");
  return out.join("\n");
}

interface OperationInfo {
  /** "METHOD /path", the SDK's key for an operation. */
  key: string;
  method: string;
  path: string;
  op: ResolvedOperation;
  /** Path-level and operation-level parameters, `$ref`s resolved; the operation's own win (OpenAPI's rule). */
  params: Parameter[];
}

/** Every operation of the document in document order, with its parameters resolved. */
export function operations(document: OpenApiDocument): OperationInfo[] {
  /** Follows a `#/components/<kind>/<name>` reference; one that points nowhere is an error, not a dropped field. */
  const deref = <T extends object>(kind: "parameters" | "requestBodies" | "responses", x: T | Ref): T => {
    if (!("$ref" in x)) return x;
    const name = x.$ref.startsWith(`#/components/${kind}/`) ? x.$ref.slice(`#/components/${kind}/`.length) : "";
    const found = document.components?.[kind]?.[name] as T | undefined;
    if (!found) throw new Error(`Unresolved reference ${x.$ref}`);
    return found;
  };
  const resolve = (p: ParameterOrRef) => deref<Parameter>("parameters", p);
  const out: OperationInfo[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const shared = (item.parameters ?? []).map(resolve);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const own = (op.parameters ?? []).map(resolve);
      const resolved: ResolvedOperation = {
        ...op,
        requestBody: op.requestBody && deref<RequestBody>("requestBodies", op.requestBody),
        responses: Object.fromEntries(
          Object.entries(op.responses).map(([status, r]) => [status, deref<ResponseObject>("responses", r)]),
        ),
      };
      const params = [
        ...shared.filter((s) => !own.some((o) => o.in === s.in && o.name.toLowerCase() === s.name.toLowerCase())),
        ...own,
      ];
      out.push({ key: `${method.toUpperCase()} ${path}`, method, path, op: resolved, params });
    }
  }
  return out;
}

/** Whether the contract lets a client send `Idempotency-Key` (header names are case-insensitive). */
export const acceptsIdempotencyKey = (params: Parameter[]) =>
  params.some((p) => p.in === "header" && p.name.toLowerCase() === "idempotency-key");

/** Paths the public client calls; it gets its own table so a browser bundle carries no admin path. */
export const PUBLIC_PREFIX = "/v1/public/";

/**
 * The generated `idempotent.ts`: the operations whose contract declares an `Idempotency-Key` header, which the
 * transport keys (and may therefore retry) automatically. One table for the public client, one for every operation.
 */
export function generateIdempotency(document: OpenApiDocument): string {
  const keyed = operations(document)
    .filter((o) => acceptsIdempotencyKey(o.params))
    .map((o) => o.key);
  const list = (keys: string[]) => `[\n${keys.map((k) => `  ${JSON.stringify(k)},`).join("\n")}\n]`;
  return [
    "// Generated by sdk/scripts/generate.ts from the worker's OpenAPI document (sdk/src/generated/openapi.json).",
    "// Do not edit: declare the `Idempotency-Key` header on the route and run `npm run generate -w @bookra/sdk`.",
    'import type { Operations } from "./openapi.ts";',
    "",
    `/** The operations under \`${PUBLIC_PREFIX}\` whose contract accepts an \`Idempotency-Key\` header (the public client's). */`,
    `export const PUBLIC_IDEMPOTENT_OPERATIONS: readonly (keyof Operations)[] = ${list(keyed.filter((k) => k.split(" ")[1]!.startsWith(PUBLIC_PREFIX)))};`,
    "",
    "/** Every operation whose contract accepts an `Idempotency-Key` header: the transport sends one on these and only these. */",
    `export const IDEMPOTENT_OPERATIONS: readonly (keyof Operations)[] = ${list(keyed)};`,
    "",
  ].join("\n");
}
