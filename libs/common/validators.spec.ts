import { EMAIL_PATTERN, emailDomain, isTimeZone, pickLocale } from './validators.js';

describe('validators', () => {
  it.each([
    ['Europe/Paris', true],
    ['UTC', true],
    ['Mars/Olympus', false],
    ['', false],
  ])('isTimeZone(%s) = %s', (tz, ok) => expect(isTimeZone(tz)).toBe(ok));

  it.each([
    ['fr-FR,fr;q=0.9', 'fr'],
    ['en-GB', 'en'],
    ['de', 'fr'],
    [undefined, 'fr'],
  ])('pickLocale(%s)', (h, l) => expect(pickLocale(h, 'fr')).toBe(l));

  it.each([
    ['a@acme.com', true],
    ['a.b+c@mail.acme.fr', true],
    ['a@acme', false],
    ['a b@acme.com', false],
    ['@acme.com', false],
  ])('email %s', (e, ok) => expect(EMAIL_PATTERN.test(e)).toBe(ok));

  it('keeps the whole domain so sub-domains do not pass as the parent', () => {
    expect(emailDomain(' Jo@Evil.Acme.COM ')).toBe('evil.acme.com');
    expect(emailDomain('jo@acme.com@evil.com')).toBe('evil.com');
  });
});
