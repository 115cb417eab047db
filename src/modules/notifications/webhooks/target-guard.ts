import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

// Addresses a webhook must never reach unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true: loopback,
// link-local (cloud metadata), private, carrier-grade NAT, unspecified, multicast, and the
// IPv6 equivalents. (IPv4-mapped IPv6 addresses are checked as IPv4: BlockList maps them.)
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    return mapped ? blocked.check(mapped, 'ipv4') : blocked.check(address, 'ipv6');
  }
  return true;
}

export class TargetRefused extends Error {}

/** Resolves a host and refuses it if any of its addresses is private (unless allowed). */
export function resolveTarget(host: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  const name = host.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    dnsLookup(name, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return reject(new TargetRefused(`cannot resolve ${name}: ${err.code ?? err.message}`));
      if (!addresses.length) return reject(new TargetRefused(`${name} has no address`));
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (bad && !allowPrivate)
        return reject(new TargetRefused(`${name} resolves to a private address (${bad.address})`));
      resolve(addresses);
    });
  });
}

/**
 * A `lookup` for http.request that validates the addresses at connection time, so a name that
 * re-resolves to a private address after registration (DNS rebinding) is refused too.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (
    hostname: string,
    options: { all?: boolean },
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    resolveTarget(hostname, allowPrivate).then(
      (addresses) =>
        options.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family),
      (err: Error) => callback(err, ''),
    );
  };
}
