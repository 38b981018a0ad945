// The part of node:crypto the worker uses (Workers provide it with nodejs_compat): SHA-256 and HMAC in one
// synchronous call (lib/crypto.ts). Declared here, narrowly, instead of @types/node, so nothing else of Node compiles.
declare module "node:crypto" {
  interface Digest {
    update(data: string, encoding: "utf8"): Digest;
    digest(): Uint8Array;
    digest(encoding: "hex"): string;
  }
  export function createHash(algorithm: "sha256"): Digest;
  export function createHmac(algorithm: "sha256", key: string | Uint8Array): Digest;
}
