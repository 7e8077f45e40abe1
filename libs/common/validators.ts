import { registerDecorator, type ValidationOptions } from 'class-validator';

const zones = new Set(Intl.supportedValuesOf('timeZone').concat('UTC', 'Etc/UTC'));

/** Spelled like an IANA name: "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+2", "EST5EDT". */
const ZONE_NAME = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z0-9][A-Za-z0-9_+-]*)*$/;

/**
 * An IANA time zone name this Node knows: the canonical ones, and the links ICU resolves
 * (America/Montreal, and newer names such as Europe/Kyiv that browsers already send).
 */
export function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (zones.has(value)) return true;
  if (value.length > 64 || !ZONE_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function IsTimeZone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be an IANA time zone such as Europe/Paris', ...options },
      validator: { validate: isTimeZone },
    });
}

export const LOCALES = ['fr', 'en'] as const;
export type LocaleName = (typeof LOCALES)[number];

/** Picks fr or en from an Accept-Language header, else the fallback. */
export function pickLocale(acceptLanguage: string | undefined, fallback: LocaleName): LocaleName {
  const first = acceptLanguage?.split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return first === 'fr' || first === 'en' ? first : fallback;
}

export const EMAIL_PATTERN =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
export const DOMAIN_PATTERN =
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Trimmed, lower-cased email address (addresses are compared case-insensitively). */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The part after the last @, for domain rules: exactly that domain, never its sub-domains. */
export const emailDomain = (email: string) => normalizeEmail(email).split('@').pop() ?? '';
