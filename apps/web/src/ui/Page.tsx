import { useEffect, type ReactNode } from 'react';

/** A page: its title in the tab and as the one h1, focus moved to it on navigation. */
export function Page({
  title,
  actions,
  wide,
  children,
}: {
  title: string;
  actions?: ReactNode;
  /** Wider than reading width, for tables. */
  wide?: boolean;
  children: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Ruche`;
  }, [title]);
  return (
    <section
      aria-labelledby="page-title"
      className={`mx-auto w-full ${wide ? 'max-w-6xl' : 'max-w-3xl'} px-4 py-6`}
    >
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
