// Resolves a webhook host's addresses before the worker connects to it, so a public-looking name whose records point
// at a private address (`127.0.0.1.nip.io`) is refused like the address itself. DNS over HTTPS: Workers have no
// resolver API. (A record that changes between this lookup and the connection is not caught; see docs.)
export type ResolveHost = (name: string) => Promise<string[]>;

const DEFAULT_DOH_ENDPOINT = "https://cloudflare-dns.com/dns-query";
const DOH_TIMEOUT_MS = 3000;
const RECORD_TYPES = { A: 1, AAAA: 28 } as const;

interface DohAnswer {
  Status: number;
  Answer?: { type: number; data: string }[];
}

/** Every A and AAAA address of `name` (CNAMEs followed by the resolver); throws when the lookup itself fails. */
export function dnsOverHttps(fetchFn: typeof fetch, endpoint = DEFAULT_DOH_ENDPOINT): ResolveHost {
  return async (name) => {
    const lists = await Promise.all(
      Object.entries(RECORD_TYPES).map(async ([type, code]) => {
        const url = `${endpoint}?name=${encodeURIComponent(name)}&type=${type}`;
        const res = await fetchFn(url, {
          headers: { accept: "application/dns-json" },
          signal: AbortSignal.timeout(DOH_TIMEOUT_MS),
        });
        if (!res.ok) throw new Error(`DNS lookup answered HTTP ${res.status}`);
        const body = (await res.json()) as DohAnswer;
        return (body.Answer ?? []).filter((a) => a.type === code).map((a) => a.data);
      }),
    );
    return lists.flat();
  };
}
