import { isPrivateAddress, resolveTarget, TargetRefused } from './target-guard';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('refuses %s', (a) => expect(isPrivateAddress(a)).toBe(true));

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('allows %s', (a) =>
    expect(isPrivateAddress(a)).toBe(false),
  );

  it('refuses what is not an address', () => expect(isPrivateAddress('example.com')).toBe(true));
});

describe('resolveTarget', () => {
  it('refuses a name that resolves to loopback, unless private targets are allowed', async () => {
    await expect(resolveTarget('localhost', false)).rejects.toBeInstanceOf(TargetRefused);
    await expect(resolveTarget('127.0.0.1', true)).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
  });
});
