// Every response a test sees is checked against the published OpenAPI document (the one GET /openapi.json serves):
import type { ValidateFunction } from "ajv/dist/2020.js";
// the operation is found by method and path template, the response by status (or `default`), and a JSON body must
// validate against its schema (JSON Schema 2020-12, ajv). A status the document does not list, or a body that does
// not match, throws with a readable message, so the test that met it fails.
import AjvModule from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { loadContract } from "../../sdk/scripts/contract.ts";
import type { OpenApiDocument, Schema } from "../../sdk/scripts/generate-types.ts";

// ajv and ajv-formats are CommonJS; under Node's ESM loader the class is the default export, under some bundlers .default.
const Ajv2020 = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as typeof AjvModule;
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

const DOC_ID = "https://bookra.test/openapi.json";
const METHODS = ["get", "put", "post", "patch", "delete"] as const;

interface ResponseSpec {
  description?: string;
  content?: Record<string, { schema: Schema }>;
}
interface OperationSpec {
  method: string;
  template: string;
  pattern: RegExp;
  responses: Record<string, ResponseSpec>;
}

export interface ContractChecker {
  /** Throws when the response breaks the contract; returns quietly for paths the document does not describe. */
  check(method: string, url: string, status: number, contentType: string | null, bodyText: string): void;
  /** The operation a request hits ("POST /v1/signup"), or undefined for a path outside the document. */
  operationOf(method: string, url: string): string | undefined;
  /** Validates a value against a schema of the document ($refs to its components resolve): the errors, or []. */
  errorsOf(schema: Schema, value: unknown): string[];
}

/** A validator for one document; `contractChecker()` is the one for the worker's published document. */
export function createContractChecker(document: OpenApiDocument): ContractChecker {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  addFormats(ajv);
  // OpenAPI's own keywords inside Schema Objects: annotations, not assertions.
  ajv.addVocabulary(["example", "discriminator", "xml", "externalDocs"]);
  // $refs in the document point at "#/components/schemas/X": give the components a home ajv can resolve from anywhere.
  ajv.addSchema({ $id: DOC_ID, $defs: rebase(document.components?.schemas ?? {}) });

  const operations: OperationSpec[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
        .join("");
      // The worker's document writes every response inline (no `$ref` to components.responses).
      const responses = op.responses as Record<string, ResponseSpec>;
      operations.push({ method, template, pattern: new RegExp(`^${source}$`), responses });
    }
  }
  // A literal segment wins over a template one (`/a/new` before `/a/{id}`).
  const params = (t: string) => (t.match(/\{/g) ?? []).length;
  operations.sort((a, b) => params(a.template) - params(b.template));

  const compiled = new Map<string, ValidateFunction>();
  function validatorFor(key: string, schema: Schema): ValidateFunction {
    let v = compiled.get(key);
    if (!v) {
      v = ajv.compile(rebase(schema) as object);
      compiled.set(key, v);
    }
    return v;
  }

  function find(method: string, url: string): OperationSpec | undefined {
    const path = new URL(url, "http://contract.invalid").pathname;
    const m = method.toLowerCase();
    return operations.find((o) => o.method === m && o.pattern.test(path));
  }

  const describe = (v: ValidateFunction) =>
    (v.errors ?? []).map(
      (e) => `${e.instancePath || "(root)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`,
    );

  return {
    errorsOf(schema, value) {
      const validate = validatorFor(JSON.stringify(schema), schema);
      return validate(value) ? [] : describe(validate);
    },
    operationOf(method, url) {
      const op = find(method, url);
      return op && `${op.method.toUpperCase()} ${op.template}`;
    },
    check(method, url, status, contentType, bodyText) {
      const op = find(method, url);
      if (!op) return;
      const name = `${op.method.toUpperCase()} ${op.template}`;
      const fail = (why: string) => {
        throw new Error(
          `Contract violation: ${name} answered ${status}, ${why}.\n  Request: ${method.toUpperCase()} ${url}\n` +
            `  Body: ${bodyText.slice(0, 600)}\n  (The published document is wrong or the server is: fix the zod/OpenAPI schema of the route, or the bug.)`,
        );
      };
      const response = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
      if (!response)
        return fail(`a status the document does not list (documented: ${Object.keys(op.responses).join(", ")})`);
      const isJson = /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? "");
      const media = response.content?.["application/json"];
      if (!media) {
        if (bodyText.length > 0 && !response.content)
          fail(`a body although the document describes none (content-type ${contentType})`);
        return;
      }
      if (!isJson) return fail(`content-type ${contentType ?? "(none)"} where the document promises application/json`);
      let body: unknown;
      try {
        body = JSON.parse(bodyText);
      } catch {
        return fail("a body that is not JSON");
      }
      const validate = validatorFor(`${name} ${status}`, media.schema);
      if (!validate(body)) {
        const errors = describe(validate)
          .slice(0, 8)
          .map((e) => `    ${e}`)
          .join("\n");
        fail(`a body that does not match the documented schema:\n${errors}`);
      }
    },
  };
}

/** Points "#/components/schemas/X" at the registered components, so a schema compiles on its own. */
function rebase<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${DOC_ID}#/$defs/`)) as T;
}

let shared: ContractChecker | undefined;
/** The checker for the worker's published OpenAPI document (built once per test file, in-process). */
export function contractChecker(): ContractChecker {
  shared ??= createContractChecker(loadContract());
  return shared;
}

/** Checks a Response (a clone is read, so the caller still reads the original) and hands it back. */
export async function checkResponse(method: string, url: string, res: Response): Promise<Response> {
  const checker = contractChecker();
  if (!checker.operationOf(method, url)) return res;
  const text = await res.clone().text();
  checker.check(method, url, res.status, res.headers.get("content-type"), text);
  return res;
}

/** The method and URL of what `fetch` / `app.request` were given. */
export function requestTarget(input: RequestInfo | URL, init?: RequestInit): { method: string; url: string } {
  if (input instanceof Request) return { method: init?.method ?? input.method, url: input.url };
  return { method: init?.method ?? "GET", url: String(input) };
}
