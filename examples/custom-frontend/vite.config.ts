// Vite for the example page. The `@bookra/source` condition makes `import "@bookra/sdk"` use the SDK's sources in
// this repository, so the example runs without building the SDK first; outside the repository it is not needed.
import { defineConfig } from "vite";

export default defineConfig({
  resolve: { conditions: ["@bookra/source", "module", "browser", "development|production"] },
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 4173 },
});
