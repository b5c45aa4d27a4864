/**
 * Which webhook targets Amend may send to (issue 12, SSRF): only public unicast addresses, unless
 * the server's WEBHOOK_ALLOW_HOSTS lists the host (a name, an address or a CIDR range). A name is
 * resolved once and every address it gives is checked; the delivery then connects to the checked
 * address (`pinnedLookup`), so a second resolution — DNS rebinding — cannot switch it.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type TargetVerdict =
  | { ok: true; addresses: ResolvedAddress[] }
  | { ok: false; reason: 'unresolvable'; detail: string }
  | { ok: false; reason: 'blocked'; range: string; literal: boolean };

/** ipaddr.js' range names as a person reads them. */
const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private-network address',
  linkLocal: 'a link-local address (cloud metadata lives there)',
  uniqueLocal: 'a unique-local (private) IPv6 address',
  multicast: 'a multicast address',
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
  carrierGradeNat: 'a carrier-grade NAT address',
  reserved: 'a reserved or documentation address',
  rfc6052: 'a NAT64 address (it embeds an IPv4 address)',
  '6to4': 'a 6to4 address (it embeds an IPv4 address)',
  teredo: 'a Teredo address',
  rfc6145: 'an IPv4-translated address',
};

export const describeRange = (range: string) => RANGE_NAMES[range] ?? `a special-purpose address`;

type Allowed = { names: Set<string>; ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] };

export class TargetGuard {
  private readonly allowed: Allowed;

  /** `allow`: WEBHOOK_ALLOW_HOSTS, e.g. ['127.0.0.1', 'localhost', '10.20.0.0/16']. */
  constructor(
    allow: readonly string[] = [],
    private readonly resolve: (host: string) => Promise<ResolvedAddress[]> = systemResolve,
  ) {
    const names = new Set<string>();
    const ranges: Allowed['ranges'] = [];
    for (const entry of allow.map((a) => a.trim().toLowerCase()).filter(Boolean)) {
      if (entry.includes('/') && isCidr(entry)) ranges.push(ipaddr.parseCIDR(entry));
      else if (ipaddr.isValid(entry)) {
        const a = ipaddr.process(entry);
        ranges.push([a, a.kind() === 'ipv4' ? 32 : 128]);
      } else names.add(entry);
    }
    this.allowed = { names, ranges };
  }

  /** Resolves the URL's host once and checks every address it gives. */
  async check(url: URL): Promise<TargetVerdict> {
    const host = hostOf(url);
    const literal = ipaddr.isValid(host);
    let addresses: ResolvedAddress[];
    if (literal) {
      const a = ipaddr.parse(host);
      addresses = [{ address: host, family: a.kind() === 'ipv4' ? 4 : 6 }];
    } else {
      try {
        addresses = await this.resolve(host);
      } catch (err) {
        return { ok: false, reason: 'unresolvable', detail: (err as { code?: string }).code ?? '' };
      }
      if (!addresses.length) return { ok: false, reason: 'unresolvable', detail: 'no address' };
    }
    if (this.allowed.names.has(host)) return { ok: true, addresses };
    for (const { address } of addresses) {
      const range = this.blockedRange(address);
      if (range) return { ok: false, reason: 'blocked', range, literal };
    }
    return { ok: true, addresses };
  }

  /** The range that forbids this address, or null when it may be reached. */
  blockedRange(address: string): string | null {
    const a = ipaddr.process(address); // IPv4-mapped IPv6 is judged as the IPv4 address it is
    if (this.allowed.ranges.some(([net, bits]) => a.kind() === net.kind() && a.match(net, bits)))
      return null;
    const range = a.range();
    return range === 'unicast' ? null : range;
  }
}

/** A `lookup` for node:http that answers the checked address and never asks DNS again. */
export function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  }) as unknown as LookupFunction;
}

/** The URL's host without the brackets of an IPv6 literal. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

function isCidr(entry: string): boolean {
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
}

async function systemResolve(host: string): Promise<ResolvedAddress[]> {
  const found = await dnsLookup(host, { all: true, verbatim: true });
  return found.map((f) => ({ address: f.address, family: f.family === 6 ? 6 : 4 }));
}
