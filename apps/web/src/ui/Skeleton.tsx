import { useIntl } from 'react-intl';

/** Grey blocks while a list loads; announced once to screen readers. */
export function Skeleton({ rows = 3 }: { rows?: number }) {
  const intl = useIntl();
  return (
    <div
      role="status"
      aria-label={intl.formatMessage({
        id: 'ui.loading',
        defaultMessage: 'Loading…',
        description: 'While a list loads',
      })}
    >
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="mb-4 animate-pulse rounded-lg border border-stone-200 bg-white p-4">
          <div className="mb-3 flex items-center gap-3">
            <div className="h-10 w-10 rounded-full bg-stone-200" />
            <div className="h-4 w-40 rounded bg-stone-200" />
          </div>
          <div className="mb-2 h-3 w-full rounded bg-stone-200" />
          <div className="h-3 w-2/3 rounded bg-stone-200" />
        </div>
      ))}
    </div>
  );
}
