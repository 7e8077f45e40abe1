import { simpleParser } from 'mailparser';
import { buildMail } from './mime.js';

describe('buildMail', () => {
  const base = {
    to: 'ana@acme.test',
    text: 'Bonjour Ana,\n\n- Ève vous a mentionnée : http://ruche.test/posts/1\n',
    html: '<p>Bonjour Ana,</p><p>Ève vous a mentionnée — <a href="http://ruche.test/posts/1">Ouvrir</a></p>',
    messageId: '<delivery-1.2@ruche.test>',
    headers: {
      'Content-Language': 'fr',
      'List-Unsubscribe': `<http://ruche.test/api/unsubscribe?token=${'x'.repeat(180)}.sig>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };

  it.each([
    ['Ruche <noreply@ruche.test>', 'Ruche', 'Ève vous a mentionnée'],
    ['Réseau Ruché <noreply@ruche.test>', 'Réseau Ruché', `${'Très '.repeat(20)}long`],
    ['noreply@ruche.test', '', 'Plain ASCII subject'],
  ])('reads back as sent: from %s (name %s), subject %s', async (from, name, subject) => {
    const mail = await simpleParser(buildMail({ ...base, from, subject }));
    expect(mail.subject).toBe(subject);
    expect(mail.from?.value).toEqual([{ address: 'noreply@ruche.test', name }]);
    expect(mail.text).toBe(base.text);
    expect(mail.html).toBe(base.html);
    expect(mail.messageId).toBe(base.messageId);
    const headers = Object.fromEntries(
      mail.headerLines.map((l) => [l.key, l.line.slice(l.key.length + 1).trim()]),
    );
    expect(headers['list-unsubscribe']).toBe(base.headers['List-Unsubscribe']);
    expect(headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['content-language']).toBe('fr');
    expect(headers['mime-version']).toBe('1.0');
  });

  it('keeps every line under 998 characters', () => {
    const raw = buildMail({
      ...base,
      from: 'Ruche <noreply@ruche.test>',
      subject: 'é'.repeat(300),
      text: 'y'.repeat(5000),
    }).toString();
    expect(Math.max(...raw.split('\r\n').map((l) => l.length))).toBeLessThan(998);
  });
});
