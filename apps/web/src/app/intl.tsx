import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';

/**
 * The interface speaks French or English: English is the messages' defaultMessage; French comes
 * from each feature's fr.json, loaded on demand. The choice follows the profile, else the browser.
 */
export type Locale = 'fr' | 'en';
export const LOCALES: Locale[] = ['fr', 'en'];

const catalogues = import.meta.glob<{ default: Record<string, string> }>([
  '../features/*/fr.json',
  '../ui/fr.json',
  './fr.json',
]);

let current: Locale = pick(
  localStorage.getItem('ruche.locale') ?? navigator.languages?.join(',') ?? 'en',
);
const listeners = new Set<() => void>();

export function pick(preference: string | null | undefined): Locale {
  const first = (preference ?? '').toLowerCase().split(',')[0]?.trim() ?? '';
  return first.startsWith('fr') ? 'fr' : 'en';
}

export const locale = {
  get: () => current,
  set(next: Locale) {
    if (next === current) return;
    current = next;
    localStorage.setItem('ruche.locale', next);
    for (const l of listeners) l();
  },
  subscribe: (l: () => void) => {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

let french: Promise<Record<string, string>> | undefined;
function loadFrench() {
  french ??= Promise.all(Object.values(catalogues).map((load) => load())).then(
    (parts) => Object.assign({}, ...parts.map((p) => p.default)) as Record<string, string>,
  );
  return french;
}

export function useLocale(): Locale {
  return useSyncExternalStore(locale.subscribe, locale.get);
}

export function AppIntl({ timeZone, children }: { timeZone?: string; children: ReactNode }) {
  const lang = useLocale();
  const [messages, setMessages] = useState<Record<string, string> | null>(
    lang === 'en' ? {} : null,
  );
  useEffect(() => {
    document.documentElement.lang = lang;
    if (lang === 'en') setMessages({});
    else void loadFrench().then(setMessages);
  }, [lang]);
  if (!messages) return null;
  return (
    <IntlProvider
      locale={lang}
      messages={lang === 'en' ? {} : messages}
      defaultLocale="en"
      timeZone={timeZone}
    >
      {children}
    </IntlProvider>
  );
}
