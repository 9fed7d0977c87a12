/**
 * A DNS lookup for node:http that refuses restricted addresses at connection time. The check runs inside the
 * lookup the socket itself uses, on every address the name resolves to, so a name cannot pass the check with one
 * answer and connect with another (DNS rebinding): the address checked is the address dialled.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from '../toolbox.ts';
import { restrictedKind } from './restrictedAddress.ts';

export class RestrictedAddressError extends Error {
  override readonly name = 'RestrictedAddressError';
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/** `explicitHost`: the allow list names this host literally, so private addresses are what the spec asked for. */
export function guardedLookup(resolver: Resolver, explicitHost: boolean): LookupFunction {
  return (hostname, options, callback) => {
    checkedAddresses(resolver, hostname, explicitHost).then(
      (addresses) => {
        if (options.all) (callback as (error: null, all: LookupAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

async function checkedAddresses(resolver: Resolver, hostname: string, explicitHost: boolean): Promise<ResolvedAddress[]> {
  const addresses = await resolver(hostname);
  if (addresses.length === 0) throw new Error(`${hostname} resolved to no address`);
  const refused = explicitHost ? undefined : addresses.find((a) => restrictedKind(a.address) !== undefined);
  if (refused) throw new RestrictedAddressError(`${hostname} resolves to ${describeRestricted(refused.address)}`);
  return addresses;
}

export const describeRestricted = (address: string): string =>
  `${restrictedKind(address)} address ${address}; webhooks may reach private, loopback and link-local addresses ` +
  'only when the allow list names the host explicitly';
