import { useEffect, type ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { locale, useLocale } from '../../app';

/** The card the signed-out pages stand in, with the language switch. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const lang = useLocale();
  const intl = useIntl();
  useEffect(() => {
    document.title = `${title} · Ruche`;
  }, [title]);
  return (
    <div className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-8">
      <div className="mb-6 flex items-center justify-between">
        <span className="flex items-center gap-2 text-xl font-bold text-amber-900">
          <img src="/icon.svg" alt="" width={32} height={32} /> Ruche
        </span>
        <button
          type="button"
          className="rounded px-2 py-1 text-sm text-stone-800 underline"
          lang={lang === 'fr' ? 'en' : 'fr'}
          aria-label={intl.formatMessage({
            id: 'auth.switchLanguage',
            defaultMessage: 'Lire en français',
            description: 'Language switch label, in the other language',
          })}
          onClick={() => locale.set(lang === 'fr' ? 'en' : 'fr')}
        >
          {lang === 'fr' ? 'English' : 'Français'}
        </button>
      </div>
      <div className="rounded-lg border border-stone-200 bg-white p-6 shadow-sm">
        <h1 className="mb-4 text-2xl font-semibold text-stone-900">{title}</h1>
        {children}
      </div>
    </div>
  );
}
