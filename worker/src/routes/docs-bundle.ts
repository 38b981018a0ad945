// Where the API reference's script lives: Scalar's standalone bundle (@scalar/api-reference, dist/browser/
// standalone.js), copied by the widget build into the static-assets directory (`npm run build`), so /docs loads nothing from a CDN.
// A stable name (the package's exports do not give the worker its version to hash with): _headers caches it for five
// minutes and then revalidates it by ETag.

/** The bundle's URL path (served by Workers static assets, never by the worker). */
export const DOCS_BUNDLE_PATH = "/docs-assets/scalar-api-reference.js";
