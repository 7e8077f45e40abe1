import { Filter } from 'ldapts';

/**
 * The configured filter with `{{email}}` and `{{username}}` replaced by the escaped values
 * (RFC 4515: `*`, `(`, `)`, `\` and NUL become `\2a`...): what a person types cannot change the
 * filter's shape.
 */
export function ldapFilter(template: string, email: string): string {
  const username = email.split('@')[0] ?? '';
  return template
    .replaceAll('{{email}}', Filter.escape(email))
    .replaceAll('{{username}}', Filter.escape(username));
}
