import { replyText } from './reply-text.js';

describe('replyText', () => {
  it.each([
    [
      'Gmail, English',
      'Sounds good, see you at 3.\n\nOn Tue, Dec 3, 2026 at 10:00 AM Camille Calme <camille@acme.test> wrote:\n> Shall we meet?\n> C.',
      'Sounds good, see you at 3.',
    ],
    [
      'Gmail, English, header wrapped',
      'Yes.\n\nOn Tue, Dec 3, 2026 at 10:00 AM Camille Calme <\ncamille@acme.test> wrote:\n> Shall we?',
      'Yes.',
    ],
    [
      'Gmail, French',
      "D'accord pour 15 h.\n\nLe mar. 3 déc. 2026 à 10:00, Camille Calme <camille@acme.test> a écrit :\n> On se voit ?",
      "D'accord pour 15 h.",
    ],
    [
      'Apple Mail, French',
      'Parfait.\n\nEnvoyé de mon iPhone\n\nLe 3 déc. 2026 à 10:00, Camille <camille@acme.test> a écrit :\n\n> On se voit ?',
      'Parfait.',
    ],
    [
      'Apple Mail, English',
      'Great!\n\n> On Dec 3, 2026, at 10:00, Camille <camille@acme.test> wrote:\n>\n> Shall we?',
      'Great!',
    ],
    [
      'Outlook, English',
      'Agreed.\n\nGet Outlook for iOS\n________________________________\nFrom: Camille Calme <camille@acme.test>\nSent: Tuesday, December 3, 2026 10:00\nSubject: Meeting',
      'Agreed.',
    ],
    [
      'Outlook, French',
      "Ça marche.\r\n\r\n-----Message d'origine-----\r\nDe : Camille Calme\r\nEnvoyé : mardi 3 décembre 2026 10:00",
      'Ça marche.',
    ],
    [
      'a signature after the standard delimiter',
      'Thanks, noted.\n\n-- \nPaul Parleur\nAcme, Sales',
      'Thanks, noted.',
    ],
    ['nothing to cut', 'Line one\nLine two', 'Line one\nLine two'],
  ])('%s', (_name, input, expected) => {
    expect(replyText(input)).toBe(expected);
  });
});
