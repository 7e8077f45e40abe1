import type { ReactNode } from 'react';

/** A part of the settings page: a card with its h2 and a sentence. */
export function Section({
  id,
  title,
  intro,
  children,
}: {
  id: string;
  title: ReactNode;
  intro?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={id}
      className="min-w-0 rounded-lg border border-stone-200 bg-white p-4"
    >
      <h2 id={id} className="mb-1 text-lg font-semibold text-stone-900">
        {title}
      </h2>
      {intro && <p className="mb-4 text-sm text-stone-700">{intro}</p>}
      {!intro && <div className="mb-3" />}
      {children}
    </section>
  );
}
