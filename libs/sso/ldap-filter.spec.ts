import { ldapFilter } from './ldap-filter.js';

describe('ldapFilter', () => {
  it.each([
    ['(mail={{email}})', 'ana@acme.com', '(mail=ana@acme.com)'],
    ['(uid={{username}})', 'ana@acme.com', '(uid=ana)'],
    ['(mail={{email}})', '*)(uid=*', '(mail=\\2a\\29\\28uid=\\2a)'],
    ['(mail={{email}})', 'a\\b\u0000', '(mail=a\\5cb\\00)'],
  ])('%s with %j gives %s', (template, email, filter) => {
    expect(ldapFilter(template, email)).toBe(filter);
  });
});
