// The architecture as rules (issue 11, docs/ARCHITECTURE.md "Layers"): `npm run lint:deps` fails on any of them.
// Rules name folders, not files, so they hold as modules move inside a layer. Test files are not layers: they are
// left out of the layer rules (a route test may seed the database) but still take part in the cycle check.
/** Imports that reach a database, a queue, the network or the file system. */
const IO_PACKAGES = "^(drizzle-orm|@neondatabase/|hono|@hono/|pg|ws|stripe)($|/)";
const TEST_FILE = "\\.test\\.tsx?$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment:
        "No import cycles, type-only imports included: a cycle means two modules are one concern or one of them is in the wrong layer.",
      from: {},
      to: { circular: true },
    },
    {
      name: "routes-not-to-db",
      severity: "error",
      comment:
        'Routes are HTTP only (routes → services → db): they reach the database through a service verb, never db/ or drizzle. The per-request handle is typed as TenantCtx["db"] from services/context.ts.',
      from: { path: "^worker/src/routes/", pathNot: TEST_FILE },
      to: { path: ["^worker/src/db/", "(^|/)node_modules/drizzle-orm/", "^drizzle-orm($|/)"] },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment:
        "domain/ is pure logic: nothing with I/O (no db, providers, services, routes, outbox, Node built-ins, drivers or Hono).",
      from: { path: "^worker/src/domain/", pathNot: TEST_FILE },
      to: {
        path: [
          "^worker/src/(db|providers|services|routes|outbox|effects|payments)/",
          "^worker/src/(app|index|env)\\.ts$",
          `(^|/)node_modules/${IO_PACKAGES.slice(1)}`,
          IO_PACKAGES,
        ],
      },
    },
    {
      name: "domain-no-node-builtins",
      severity: "error",
      comment: "domain/ is pure logic: no Node built-ins (node:crypto, node:fs, …).",
      from: { path: "^worker/src/domain/", pathNot: TEST_FILE },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "services-not-to-hono",
      severity: "error",
      comment:
        "Services are verbs taking { ctx, input }: no Hono (the HTTP layer maps their error codes to statuses). The side effects (effects/) are services the consumer runs: the same holds for them.",
      from: { path: "^worker/src/(services|effects)/", pathNot: TEST_FILE },
      to: { path: ["^(hono|@hono/)", "(^|/)node_modules/(hono|@hono/)", "^worker/src/routes/"] },
    },
    {
      name: "providers-not-to-outbox-consumer",
      severity: "error",
      comment:
        "Providers are adapters: they know nothing of the outbox (relay, consumer, its delivery bookkeeping) or of the side effects (effects/) that call them.",
      from: { path: "^worker/src/providers/", pathNot: TEST_FILE },
      to: { path: ["^worker/src/outbox/", "^worker/src/effects/"] },
    },
    {
      name: "outbox-not-to-effects",
      severity: "error",
      comment:
        "outbox/ is the relay and the consumer only: it receives its handlers as a registry (index.ts passes effects/handlers/index.ts EFFECT_HANDLERS to consumeOutboxBatch) and imports nothing of effects/ but the delivery error a handler throws to keep partial progress (effects/delivery-errors.ts). The handlers implement the consumer's contract, outbox/types.ts.",
      from: { path: "^worker/src/outbox/", pathNot: TEST_FILE },
      to: { path: "^worker/src/effects/", pathNot: "^worker/src/effects/delivery-errors\\.ts$" },
    },
    {
      name: "effects-through-outbox-contract",
      severity: "error",
      comment:
        "A side effect knows the outbox only by its contract (outbox/types.ts: OutboxEvent, EffectHandler, SharedContext): never the consumer, the relay or their row bookkeeping.",
      from: { path: "^worker/src/effects/", pathNot: TEST_FILE },
      to: { path: "^worker/src/outbox/", pathNot: "^worker/src/outbox/types\\.ts$" },
    },
    {
      name: "sdk-self-contained",
      severity: "error",
      comment:
        "@bookra/sdk ships alone: its source imports nothing outside sdk/src (no worker, no widget, no npm package).",
      from: { path: "^sdk/src/", pathNot: TEST_FILE },
      to: { pathNot: "^sdk/src/", dependencyTypesNot: ["core"] },
    },
    {
      name: "sdk-no-node-builtins",
      severity: "error",
      comment: "The SDK runs in browsers and edge runtimes: no Node built-ins.",
      from: { path: "^sdk/src/", pathNot: TEST_FILE },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "widget-through-sdk",
      severity: "error",
      comment:
        "The widget talks to the API only through @bookra/sdk: it imports nothing of the worker, and no SDK internals.",
      from: { path: "^widget/src/", pathNot: TEST_FILE },
      to: { path: ["^worker/", "^sdk/(?!src/(index|admin|webhooks)\\.ts$)", "^(test|scripts|bench)/"] },
    },
    {
      name: "dashboard-through-sdk",
      severity: "error",
      comment:
        "The dashboard talks to the API only through @bookra/sdk's admin client: it imports nothing of the worker, the widget or the tools, and no SDK internals.",
      from: { path: "^dashboard/src/", pathNot: TEST_FILE },
      to: { path: ["^worker/", "^widget/", "^sdk/(?!src/admin\\.ts$)", "^(test|scripts|bench)/"] },
    },
    {
      name: "declared-dependencies",
      severity: "error",
      comment:
        "Each workspace (worker, sdk, widget, each example) declares every package its code imports in its own package.json (tests and tools run from the root and use the root's).",
      from: {
        path: "^(worker|sdk|widget|dashboard|examples/[^/]+)/",
        pathNot: [TEST_FILE, "^(sdk|widget)/(scripts|test)/"],
      },
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "runtime-not-to-dev-dependencies",
      severity: "error",
      comment:
        "Code that ships (the worker, the SDK, the widget, the dashboard) uses runtime dependencies, not devDependencies.",
      from: { path: "^(worker/src|sdk/src|widget/src|dashboard/src)/", pathNot: TEST_FILE },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "Every import resolves (a typo or a missing dependency).",
      from: {},
      // vite/client is a `/// <reference types>` to a types-only export: tsc resolves and checks it.
      to: { couldNotResolve: true, pathNot: "^vite/client$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Our build output only: packages such as hono resolve into their own dist/ and must stay in the graph.
    exclude: { path: "^(examples/[^/]+|sdk|widget|dashboard|worker)/dist/|^dist/" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      // Packages resolve as installed (so an import of one its workspace does not declare is caught), @bookra/sdk
      // to its sources through its "@bookra/source" export condition.
      conditionNames: ["@bookra/source", "import", "default"],
      extensions: [".ts", ".tsx", ".js", ".d.ts"],
    },
    // Keep node_modules/@bookra/sdk in the path (not the workspace folder it links to): it is a package dependency.
    preserveSymlinks: true,
    cache: false,
  },
};
