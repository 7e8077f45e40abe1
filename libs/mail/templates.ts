import type { EmailJob, Locale } from '@ruche/queue';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

interface Copy {
  subject: string;
  greeting: string;
  lines: string[];
  action: string;
  path: string;
  footer: string;
}

type Vars = Record<string, string>;

const COPY: Record<EmailJob['template'], Record<Locale, (v: Vars) => Copy>> = {
  'verify-email': {
    en: (v) => ({
      subject: `Confirm your address for ${v.network}`,
      greeting: `Hello ${v.name},`,
      lines: [
        `Welcome to ${v.network}. Confirm your email address to start reading and posting.`,
        'This link is valid for 48 hours.',
      ],
      action: 'Confirm my address',
      path: '/verify-email',
      footer: 'If you did not sign up, ignore this email: nothing happens without a click.',
    }),
    fr: (v) => ({
      subject: `Confirmez votre adresse pour ${v.network}`,
      greeting: `Bonjour ${v.name},`,
      lines: [
        `Bienvenue sur ${v.network}. Confirmez votre adresse e-mail pour commencer à lire et à publier.`,
        'Ce lien est valable 48 heures.',
      ],
      action: 'Confirmer mon adresse',
      path: '/verify-email',
      footer:
        'Si vous ne vous êtes pas inscrit, ignorez ce message : rien ne se passe sans un clic.',
    }),
  },
  'password-reset': {
    en: (v) => ({
      subject: `Reset your ${v.network} password`,
      greeting: `Hello ${v.name},`,
      lines: [
        'Someone asked to reset the password of your account. Choose a new one with the link below.',
        'This link is valid for one hour and works once.',
      ],
      action: 'Choose a new password',
      path: '/reset-password',
      footer: 'If you did not ask for this, ignore this email: your password stays as it is.',
    }),
    fr: (v) => ({
      subject: `Réinitialisez votre mot de passe ${v.network}`,
      greeting: `Bonjour ${v.name},`,
      lines: [
        'Une réinitialisation du mot de passe de votre compte a été demandée. Choisissez-en un nouveau avec le lien ci-dessous.',
        'Ce lien est valable une heure et ne sert qu’une fois.',
      ],
      action: 'Choisir un nouveau mot de passe',
      path: '/reset-password',
      footer:
        'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.',
    }),
  },
  invitation: {
    en: (v) => ({
      subject: `${v.inviter} invites you to ${v.network}`,
      greeting: 'Hello,',
      lines: [
        `${v.inviter} invites you to join ${v.network}, your company's social network.`,
        v.sso === '1'
          ? 'Sign in with your company account: your Ruche account is made then.'
          : 'This invitation is valid for 14 days.',
      ],
      action: v.sso === '1' ? 'Sign in' : 'Join',
      path: v.sso === '1' ? '/sign-in' : '/join',
      footer: 'If you do not know this sender, ignore this email.',
    }),
    fr: (v) => ({
      subject: `${v.inviter} vous invite sur ${v.network}`,
      greeting: 'Bonjour,',
      lines: [
        `${v.inviter} vous invite à rejoindre ${v.network}, le réseau social de votre entreprise.`,
        v.sso === '1'
          ? 'Connectez-vous avec votre compte d’entreprise : votre compte Ruche sera créé à ce moment-là.'
          : 'Cette invitation est valable 14 jours.',
      ],
      action: v.sso === '1' ? 'Se connecter' : 'Rejoindre',
      path: v.sso === '1' ? '/sign-in' : '/join',
      footer: 'Si vous ne connaissez pas l’expéditeur, ignorez ce message.',
    }),
  },
  'webhook-disabled': {
    en: (v) => ({
      subject: `Your webhook to ${v.host} was disabled`,
      greeting: `Hello ${v.name},`,
      lines: [
        `${v.network} could not deliver to ${v.url} ${v.failures} times in a row, so the webhook was disabled.`,
        'Check the endpoint, then create the webhook again.',
      ],
      action: 'Open the integrations',
      path: '/settings/integrations',
      footer: 'You receive this email because you created this webhook.',
    }),
    fr: (v) => ({
      subject: `Votre webhook vers ${v.host} a été désactivé`,
      greeting: `Bonjour ${v.name},`,
      lines: [
        `${v.network} n’a pas pu livrer ${v.url} ${v.failures} fois de suite : le webhook a été désactivé.`,
        'Vérifiez le point de réception, puis recréez le webhook.',
      ],
      action: 'Ouvrir les intégrations',
      path: '/settings/integrations',
      footer: 'Vous recevez ce message car vous avez créé ce webhook.',
    }),
  },
};

/** Renders an account email in the recipient's language, with the link carrying its token. */
export function renderEmail(job: EmailJob, publicUrl: string): RenderedEmail {
  const copy = COPY[job.template][job.locale === 'fr' ? 'fr' : 'en'](job.vars);
  const token = job.vars.token ? `?token=${encodeURIComponent(job.vars.token)}` : '';
  const link = `${publicUrl.replace(/\/$/, '')}${copy.path}${token}`;
  const text = [
    copy.greeting,
    '',
    ...copy.lines,
    '',
    `${copy.action}: ${link}`,
    '',
    copy.footer,
  ].join('\n');
  const html = `<!doctype html><html lang="${job.locale}"><body style="font-family:sans-serif">
<p>${escape(copy.greeting)}</p>${copy.lines.map((l) => `<p>${escape(l)}</p>`).join('')}
<p><a href="${escape(link)}">${escape(copy.action)}</a></p><p style="color:#666">${escape(copy.footer)}</p></body></html>`;
  return { subject: copy.subject, text, html };
}
