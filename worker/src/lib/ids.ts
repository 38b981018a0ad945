// Opaque, prefixed, random ids (`stf_…`, `bkg_…`): unguessable, so ids never reveal counts or other tenants.
/** Each character is the low 5 bits of a random byte; SQL's new_event_id() (migrations/0014) uses the same alphabet. */
export const ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix =
  | "ten"
  | "usr"
  | "key"
  | "stf"
  | "svc"
  | "off"
  | "cus"
  | "bkg"
  | "evt"
  | "whe"
  | "inv"
  | "pay"
  | "ses"
  | "atk"
  | "jre"
  | "dsk"
  | "rfd"
  | "cmr"
  | "spy"
  | "rcn";

export function randomString(length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = "";
  for (const b of bytes) out += ID_ALPHABET[b & 31];
  return out;
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomString(20)}`;
}

/** Shape check only; existence is the database's business. */
export function looksLikeId(prefix: IdPrefix, value: string): boolean {
  return (
    value.length === prefix.length + 21 &&
    value.startsWith(`${prefix}_`) &&
    /^[0-9a-z]+$/.test(value.slice(prefix.length + 1))
  );
}
