import MailChecker from 'mailchecker';

const DISPOSABLE = MailChecker.blacklist();

/**
 * Whether the address is at a disposable-mail domain or a subdomain of one, by mailchecker's
 * maintained list. Not `MailChecker.isValid`: that also refuses addresses its own (ASCII-only)
 * syntax check rejects, which class-validator's @IsEmail has already judged.
 */
export function isDisposableEmail(address: string): boolean {
  let domain = address
    .slice(address.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
  for (;;) {
    if (DISPOSABLE.has(domain)) return true;
    const dot = domain.indexOf('.');
    if (dot < 0) return false;
    domain = domain.slice(dot + 1);
  }
}
