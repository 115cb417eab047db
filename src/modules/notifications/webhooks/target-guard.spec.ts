import {
  assertLiteralTarget,
  isPrivateAddress,
  parseTargetUrl,
  resolveTarget,
  TargetInvalid,
  TargetRefused,
} from './target-guard';

describe('isPrivateAddress', () => {
  it.each([
    // IPv4
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['192.0.0.1', 'IETF protocol assignments'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    // IPv6
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone id'],
    ['fc00::1', 'unique local'],
    ['fd00::1', 'unique local'],
    ['fec0::1', 'site-local (deprecated)'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'discard'],
    ['4000::1', 'outside 2000::/3'],
    // IPv4 inside IPv6
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped link-local, in hex'],
    ['::10.0.0.1', 'IPv4-compatible private'],
    ['::a00:1', 'IPv4-compatible private, in hex'],
    ['::8.8.8.8', 'IPv4-compatible public (deprecated form)'],
    ['::ffff:0:a00:1', 'IPv4-translated'],
    ['64:ff9b::10.0.0.1', 'NAT64 of a private address'],
    ['64:ff9b::a00:1', 'NAT64 of a private address, in hex'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of link-local'],
    ['64:ff9b::6440:1', 'NAT64 of carrier-grade NAT'],
    ['64:ff9b:1::a00:1', 'local-use NAT64 of a private address'],
    ['64:ff9b:1::808:808', 'local-use NAT64 (the IPv4 position is unknown)'],
    ['2002:0a00:0001::', '6to4 of a private address'],
    ['2002:808:808::1', '6to4 of a public address'],
    ['2001::1', 'Teredo'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    // not addresses
    ['example.com', 'a name'],
    ['0x7f000001', 'a non-canonical IPv4 form'],
    ['2130706433', 'a non-canonical IPv4 form'],
    ['', 'nothing'],
  ])('refuses %s (%s)', (a) => expect(isPrivateAddress(a)).toBe(true));

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2001:4860:4860::8888',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '64:ff9b::808:808',
  ])('allows %s', (a) => expect(isPrivateAddress(a)).toBe(false));
});

describe('parseTargetUrl', () => {
  it('normalises IPv4 and IPv6 literals as Node does when it connects', () => {
    expect(parseTargetUrl('http://0x7f000001/').hostname).toBe('127.0.0.1');
    expect(parseTargetUrl('http://2130706433/').hostname).toBe('127.0.0.1');
    expect(parseTargetUrl('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
    expect(parseTargetUrl('http://[::10.0.0.1]/').hostname).toBe('[::a00:1]');
  });

  it.each([
    'http://[fe80::1%25eth0]/hook',
    'http://[fe80::1%eth0]/hook',
    'not a url',
    'ftp://8.8.8.8/',
    'file:///etc/passwd',
    'http://user:pass@8.8.8.8/',
    'https://user@8.8.8.8/',
    'http://:pass@8.8.8.8/',
  ])('refuses %s', (url) => expect(() => parseTargetUrl(url)).toThrow(TargetInvalid));

  it('accepts http and https URLs', () => {
    expect(parseTargetUrl('https://hooks.example.com:8443/efir?x=1').host).toBe('hooks.example.com:8443');
    expect(parseTargetUrl('http://[2606:4700:4700::1111]/').hostname).toBe('[2606:4700:4700::1111]');
  });
});

describe('assertLiteralTarget', () => {
  it('refuses a private IP literal host unless private targets are allowed', () => {
    for (const host of ['127.0.0.1', '[::1]', '[64:ff9b::a00:1]', '[::ffff:7f00:1]'])
      expect(() => assertLiteralTarget(host, false)).toThrow(TargetRefused);
    expect(() => assertLiteralTarget('127.0.0.1', true)).not.toThrow();
  });

  it('leaves names to the lookup, and lets public literals through', () => {
    expect(() => assertLiteralTarget('localhost', false)).not.toThrow();
    expect(() => assertLiteralTarget('8.8.8.8', false)).not.toThrow();
    expect(() => assertLiteralTarget('[2606:4700:4700::1111]', false)).not.toThrow();
  });
});

describe('resolveTarget', () => {
  it('refuses a name that resolves to loopback, unless private targets are allowed', async () => {
    await expect(resolveTarget('localhost', false)).rejects.toBeInstanceOf(TargetRefused);
    await expect(resolveTarget('127.0.0.1', true)).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('refuses IPv6 literals that embed a private IPv4 address', async () => {
    for (const host of ['[64:ff9b::a00:1]', '[2002:a00:1::]', '[::a00:1]', '[fec0::1]'])
      await expect(resolveTarget(host, false)).rejects.toBeInstanceOf(TargetRefused);
    await expect(resolveTarget('[64:ff9b::808:808]', false)).resolves.toEqual([
      { address: '64:ff9b::808:808', family: 6 },
    ]);
  });
});
