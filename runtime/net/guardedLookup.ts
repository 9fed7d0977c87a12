/**
 * A DNS lookup for node:http that refuses restricted addresses at connection time. The check runs inside the
 * lookup the socket itself uses, on every address the name resolves to, so a name cannot pass a check with one
 * answer and connect with another (DNS rebinding): the address checked is the address dialled.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { OutboundError } from './outboundError.ts';
import { restrictedKind } from './restrictedAddress.ts';

export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

/** A host name to all its addresses; injected so tests can make a name resolve anywhere without a DNS server. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/** `hostNamedExplicitly`: the trusted configuration names this host, so a restricted address is what it asked for. */
export function guardedLookup(resolver: Resolver, hostNamedExplicitly: boolean): LookupFunction {
  return (hostname, options, callback) => {
    checkedAddresses(resolver, hostname, hostNamedExplicitly).then(
      (addresses) => {
        if (options.all) (callback as (error: null, all: LookupAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

async function checkedAddresses(resolver: Resolver, hostname: string, hostNamedExplicitly: boolean): Promise<ResolvedAddress[]> {
  const addresses = await resolver(hostname);
  if (addresses.length === 0) throw new Error(`${hostname} resolved to no address`);
  const refused = hostNamedExplicitly ? undefined : addresses.find((a) => restrictedKind(a.address) !== undefined);
  if (refused) throw new OutboundError('refused', `resolves to ${describeRestricted(refused.address)}`);
  return addresses;
}

export const describeRestricted = (address: string): string =>
  `${restrictedKind(address)} address ${address}; private, loopback and link-local addresses are reached only ` +
  'through a host the configuration names explicitly (an allow pattern without *)';
