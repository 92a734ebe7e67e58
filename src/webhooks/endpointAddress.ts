import dns from "node:dns/promises";
import net from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Server-side request forgery: an admin's webhook URL must not make the
 * gateway call into its own network (the metadata service at
 * 169.254.169.254, a database on 10.x, the gateway itself). A URL is
 * checked when it is saved and again at every attempt, against the
 * addresses its host resolves to then; the attempt connects to the address
 * that was checked (pinned), so a DNS answer that changes in between
 * (rebinding) cannot slip a private address in.
 */

/** Why a URL or address may not be called; the message is a sentence for the admin. */
export class EndpointRefused extends Error {
  override name = "EndpointRefused";
}

const RANGE_WORDS: Record<string, string> = {
  loopback: "a loopback",
  private: "a private",
  linkLocal: "a link-local",
  uniqueLocal: "a unique-local",
  multicast: "a multicast",
  unspecified: "an unspecified",
  broadcast: "a broadcast",
  carrierGradeNat: "a carrier-grade NAT",
  reserved: "a reserved",
};

/**
 * The range of a non-public address, or null for a public one. ipaddr.js
 * classifies both families; `process` turns IPv4-mapped IPv6 addresses
 * (::ffff:10.0.0.1) into the IPv4 address they carry. Only global unicast
 * passes: every special range (including 6to4, Teredo and NAT64 prefixes,
 * which can wrap a private IPv4 address) is refused.
 */
export function nonPublicRange(address: string): string | null {
  const range = ipaddr.process(address).range();
  return range === "unicast" ? null : range;
}

function describe(range: string): string {
  return RANGE_WORDS[range] ?? `a special-purpose (${range})`;
}

/** The URL, if it is one the gateway may POST to: http or https, no credentials. */
export function endpointUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointRefused("url is not an absolute URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new EndpointRefused("url must start with http:// or https://.");
  if (url.username || url.password)
    throw new EndpointRefused("url must not carry a user name or password; receivers check the signature instead.");
  return url;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** The host's addresses; refused when any of them is not public, unless private ones are allowed. */
export async function resolveEndpoint(url: URL, allowPrivate: boolean): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: ResolvedAddress[];
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) as 4 | 6 }];
  } else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })) as ResolvedAddress[];
    } catch (e) {
      throw new EndpointRefused(`url's host ${host} does not resolve (${(e as NodeJS.ErrnoException).code ?? "no address"}).`);
    }
    if (addresses.length === 0) throw new EndpointRefused(`url's host ${host} does not resolve.`);
  }
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const range = nonPublicRange(address);
      if (range) {
        const what = address === host ? `${address} is ${describe(range)}` : `${host} resolves to ${address}, ${describe(range)}`;
        throw new EndpointRefused(
          `url's host ${what} address; webhooks may only call public addresses (WEBHOOK_ALLOW_PRIVATE=true allows others).`,
        );
      }
    }
  }
  return addresses[0];
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | ResolvedAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that answers with the checked address only.
 * Node asks for all addresses when it may race IPv4 and IPv6
 * (autoSelectFamily), and for one otherwise.
 */
export function pinnedLookup(resolved: ResolvedAddress) {
  return (_hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    if (typeof options === "object" && options?.all) callback(null, [resolved]);
    else callback(null, resolved.address, resolved.family);
  };
}
