import type { Locale, NotificationTypeName } from '@ruche/queue';

/** One notification as an email or a push shows it. */
export interface Item {
  type: NotificationTypeName;
  actor: string;
  group: string | null;
  /** Absolute link to the object. */
  link: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const LINES: Record<Locale, Record<NotificationTypeName, (i: Item) => string>> = {
  en: {
    MENTION: (i) => `${i.actor} mentioned you`,
    COMMENT: (i) => `${i.actor} commented on your post`,
    REPLY: (i) => `${i.actor} replied to your comment`,
    REACTION: (i) => `${i.actor} reacted to your post`,
    WALL_POST: (i) => `${i.actor} posted on your wall`,
    FOLLOW: (i) => `${i.actor} now follows you`,
    GROUP_INVITATION: (i) => `${i.actor} invites you to join ${i.group}`,
    GROUP_JOIN_REQUEST: (i) => `${i.actor} asks to join ${i.group}`,
    GROUP_JOIN_APPROVED: (i) => `${i.actor} approved your request to join ${i.group}`,
    GROUP_POST: (i) => `${i.actor} posted in ${i.group}`,
    ANNOUNCEMENT: (i) => `${i.actor} published an announcement`,
    MESSAGE: (i) => `${i.actor} sent you a message`,
    ACKNOWLEDGEMENT_REQUESTED: (i) => `${i.actor} asks you to confirm you read an announcement`,
    REPORT_FILED: () => 'New content was reported for moderation',
    REPORT_DECIDED: () => 'A moderator decided on the content you reported',
  },
  fr: {
    MENTION: (i) => `${i.actor} vous a mentionné`,
    COMMENT: (i) => `${i.actor} a commenté votre publication`,
    REPLY: (i) => `${i.actor} a répondu à votre commentaire`,
    REACTION: (i) => `${i.actor} a réagi à votre publication`,
    WALL_POST: (i) => `${i.actor} a publié sur votre mur`,
    FOLLOW: (i) => `${i.actor} vous suit désormais`,
    GROUP_INVITATION: (i) => `${i.actor} vous invite à rejoindre ${i.group}`,
    GROUP_JOIN_REQUEST: (i) => `${i.actor} demande à rejoindre ${i.group}`,
    GROUP_JOIN_APPROVED: (i) => `${i.actor} a accepté votre demande pour rejoindre ${i.group}`,
    GROUP_POST: (i) => `${i.actor} a publié dans ${i.group}`,
    ANNOUNCEMENT: (i) => `${i.actor} a publié une annonce`,
    MESSAGE: (i) => `${i.actor} vous a envoyé un message`,
    ACKNOWLEDGEMENT_REQUESTED: (i) =>
      `${i.actor} vous demande de confirmer la lecture d'une annonce`,
    REPORT_FILED: () => 'Un contenu a été signalé à la modération',
    REPORT_DECIDED: () => 'Un modérateur a statué sur le contenu que vous avez signalé',
  },
};

const COPY = {
  en: {
    hello: (name: string) => `Hello ${name},`,
    open: 'Open',
    summary: (n: number, network: string) => `${n} new notifications on ${network}`,
    summaryIntro: 'While you were away:',
    unsubscribe: 'Stop these emails',
    why: (network: string) =>
      `You receive this email because of your notification settings on ${network}.`,
  },
  fr: {
    hello: (name: string) => `Bonjour ${name},`,
    open: 'Ouvrir',
    summary: (n: number, network: string) => `${n} nouvelles notifications sur ${network}`,
    summaryIntro: 'Pendant votre absence :',
    unsubscribe: 'Ne plus recevoir ces e-mails',
    why: (network: string) =>
      `Vous recevez cet e-mail selon vos préférences de notification sur ${network}.`,
  },
};

/** The one-line text of a notification, in the recipient's language. */
export function lineOf(item: Item, locale: Locale): string {
  return LINES[locale][item.type](item);
}

/**
 * A notification email (one item) or a summary (several), with a link to each object and the
 * one-click unsubscribe link.
 */
export function renderNotificationMail(
  items: Item[],
  opts: { locale: Locale; name: string; network: string; unsubscribeUrl: string },
): RenderedMail {
  const c = COPY[opts.locale];
  const single = items.length === 1;
  const subject = single ? lineOf(items[0], opts.locale) : c.summary(items.length, opts.network);
  const lines = items.map((i) => ({ text: lineOf(i, opts.locale), link: i.link }));
  const text = [
    c.hello(opts.name),
    '',
    ...(single ? [] : [c.summaryIntro, '']),
    ...lines.map((l) => `- ${l.text}: ${l.link}`),
    '',
    c.why(opts.network),
    `${c.unsubscribe}: ${opts.unsubscribeUrl}`,
  ].join('\n');
  const html = `<!doctype html><html lang="${opts.locale}"><body style="font-family:sans-serif">
<p>${escape(c.hello(opts.name))}</p>${single ? '' : `<p>${escape(c.summaryIntro)}</p>`}
<ul>${lines.map((l) => `<li>${escape(l.text)} — <a href="${escape(l.link)}">${escape(c.open)}</a></li>`).join('')}</ul>
<p style="color:#666">${escape(c.why(opts.network))} <a href="${escape(opts.unsubscribeUrl)}">${escape(c.unsubscribe)}</a></p></body></html>`;
  return { subject, text, html };
}

/** A push payload: small (type, title, link). */
export function pushPayload(
  items: Item[],
  locale: Locale,
  network: string,
  summaryLink: string,
): string {
  if (items.length === 1)
    return JSON.stringify({
      type: items[0].type,
      title: lineOf(items[0], locale),
      link: items[0].link,
    });
  return JSON.stringify({
    type: 'SUMMARY',
    title: COPY[locale].summary(items.length, network),
    link: summaryLink,
  });
}
