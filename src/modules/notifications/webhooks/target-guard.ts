import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

// What a webhook may reach unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true: global unicast only, an
// allowlist rather than a list of private ranges, so a range nobody thought of stays refused.
// - IPv4 (and IPv4-mapped ::ffff:a.b.c.d, unwrapped by ipaddr.process): ipaddr's 'unicast', i.e.
//   none of loopback, private, carrier-grade NAT, link-local, reserved, multicast, broadcast…
// - IPv6: inside 2000::/3 (the only block IANA allocates as global unicast) and 'unicast' for
//   ipaddr. That refuses, besides loopback, link-local, unique-local and multicast, every form
//   that carries an IPv4 address somewhere else than the machine that gets the packet:
//   IPv4-compatible ::/96 and site-local fec0::/10 (both deprecated, RFC 4291, RFC 3879),
//   6to4 2002::/16 and Teredo 2001::/32 (a relay or tunnel decides where the packet goes, and
//   Teredo obfuscates its addresses), IPv4-translated ::ffff:0:0:0/96 and the local-use NAT64
//   prefix 64:ff9b:1::/48 (RFC 8215: where the IPv4 address sits depends on the operator's
//   prefix length, which the address does not tell).
// - The one exception is the NAT64 well-known prefix 64:ff9b::/96 (RFC 6052): on an IPv6-only
//   network DNS64 answers with it for every IPv4-only receiver, so it is decoded (the last 32
//   bits) and the IPv4 address judged as above; RFC 6052 §3.1 forbids it for non-global IPv4 anyway.
// A NAT64 gateway on a network-specific prefix inside 2000::/3 cannot be recognised from the
// address: such a deployment must filter private IPv4 at the translator.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

function isGlobalV4(a: ipaddr.IPv4): boolean {
  return a.range() === 'unicast';
}

function isGlobal(a: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (a instanceof ipaddr.IPv4) return isGlobalV4(a);
  if (a.match(NAT64_WELL_KNOWN)) {
    const [hi, lo] = [a.parts[6]!, a.parts[7]!];
    return isGlobalV4(new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]));
  }
  return a.match(GLOBAL_UNICAST_V6) && a.range() === 'unicast';
}

/** True unless `address` is an IP address a webhook may reach (see above); names are refused. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  // A zone id only means something for non-global scopes.
  if (family === 0 || address.includes('%')) return true;
  // ipaddr reads "::a.b.c.d" as IPv4-mapped (::ffff:a.b.c.d), while to the network it is
  // IPv4-compatible (::/96): the dotted tail is written as two hex words first.
  const hex =
    family === 6
      ? address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a: string, b: string, c: string, d: string) =>
          [((+a << 8) | +b).toString(16), ((+c << 8) | +d).toString(16)].join(':'),
        )
      : address;
  return !isGlobal(ipaddr.process(hex));
}

/** The URL is not one a webhook may have: unparsable, not http(s), or carrying credentials. */
export class TargetInvalid extends Error {}

/** The target's host is, or resolves to, an address a webhook may not reach. */
export class TargetRefused extends Error {}

/**
 * Parses a webhook URL as Node will when it connects (WHATWG: `0x7f000001` is 127.0.0.1,
 * `[::ffff:127.0.0.1]` is `[::ffff:7f00:1]`), so what is checked is what is reached.
 */
export function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // e.g. an IPv6 zone id ("[fe80::1%25eth0]"), which WHATWG URLs do not have
    throw new TargetInvalid('the URL cannot be parsed');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TargetInvalid('the URL must be http or https');
  // Credentials in a URL end up in logs, in the failure notice and in an Authorization header.
  if (url.username || url.password) throw new TargetInvalid('the URL must not contain credentials');
  return url;
}

/** The URL host without the brackets of an IPv6 literal. */
const bare = (host: string): string => host.replace(/^\[|\]$/g, '');

/**
 * Refuses an IP-literal host that is private. Needed at connection time: Node connects to an IP
 * literal directly, without calling the `lookup` that guards names.
 */
export function assertLiteralTarget(host: string, allowPrivate: boolean): void {
  const name = bare(host);
  if (!allowPrivate && isIP(name) && isPrivateAddress(name))
    throw new TargetRefused(`${name} is not a public address`);
}

/** Resolves a host and refuses it if any of its addresses is private (unless allowed). */
export function resolveTarget(host: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  const name = bare(host);
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
