import { renderEmail } from './templates.js';

describe('renderEmail', () => {
  it.each([
    ['verify-email', 'fr', 'Confirmez votre adresse', '/verify-email?token=t0k'],
    ['verify-email', 'en', 'Confirm your address', '/verify-email?token=t0k'],
    ['password-reset', 'fr', 'Réinitialisez', '/reset-password?token=t0k'],
    ['invitation', 'en', 'invites you', '/join?token=t0k'],
  ] as const)('%s in %s', (template, locale, subject, path) => {
    const mail = renderEmail(
      {
        template,
        locale,
        to: 'a@b.c',
        vars: { name: 'Zoé', token: 't0k', network: 'Acme', inviter: 'Ann' },
      },
      'https://ruche.acme.com/',
    );
    expect(mail.subject).toContain(subject);
    expect(mail.text).toContain(`https://ruche.acme.com${path}`);
  });

  it('escapes names in HTML', () => {
    const mail = renderEmail(
      {
        template: 'verify-email',
        locale: 'en',
        to: 'a@b.c',
        vars: { name: '<script>x</script>', token: 't', network: 'N' },
      },
      'http://x',
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
  });
});
