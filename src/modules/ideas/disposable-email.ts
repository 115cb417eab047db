import MailChecker from 'mailchecker';

/**
 * Whether the address is at a disposable (throwaway) mail domain or a subdomain of one, by the
 * list the `mailchecker` package maintains. Only the domain is looked up: mailchecker's own
 * `isValid` also judges the syntax, stricter than the DTOs (it refuses internationalised
 * domains), and a valid address must not be called disposable for that.
 */
export function isDisposableEmail(email: string): boolean {
  const list = MailChecker.blacklist();
  let domain = email
    .slice(email.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
  for (;;) {
    if (list.has(domain)) return true;
    const dot = domain.indexOf('.');
    if (dot < 0) return false;
    domain = domain.slice(dot + 1);
  }
}
