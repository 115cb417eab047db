// Secret values that have ever been written in this repository (compose defaults, development
// and benchmark fallbacks, examples). Anyone can read them, so production refuses them. The spec
// beside this file scans the tracked files for JWT_SECRET / WEBHOOK_SECRET_KEY values and fails
// when one is missing here.
const PUBLISHED = new Set([
  'change-me-to-a-long-random-secret-of-32-bytes',
  'efir-development-secret-not-for-production-use',
  'efir-bench-jwt-secret-0123456789abcdef',
  'efir-test-jwt-secret-0123456789abcdef0123',
  'efir-test-webhook-key-0123456789abcdef0123',
  'efir-test-idea-hmac-key-0123456789abcdef0123',
]);

// Placeholders people paste from examples.
const PLACEHOLDER = /change[-_ ]?me|replace[-_ ]?me|placeholder|example|not[-_ ]for[-_ ]production|^(.)\1+$/i;

export function isPublishedSecret(value: string): boolean {
  return PUBLISHED.has(value) || PLACEHOLDER.test(value);
}
