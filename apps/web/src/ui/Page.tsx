import { useEffect, type ReactNode } from 'react';

/** A page: its title in the tab and as the one h1, focus moved to it on navigation. */
export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Ruche`;
  }, [title]);
  return (
    <section aria-labelledby="page-title" className="mx-auto w-full max-w-3xl px-4 py-6">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h1
          id="page-title"
          tabIndex={-1}
          className="text-2xl font-semibold text-stone-900 outline-none"
        >
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </section>
  );
}
