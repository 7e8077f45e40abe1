import { FormattedDate, FormattedRelativeTime } from 'react-intl';

function unitOf(seconds: number): [number, 'second' | 'minute' | 'hour' | 'day'] {
  const abs = Math.abs(seconds);
  if (abs < 60) return [0, 'second'];
  if (abs < 3600) return [Math.round(seconds / 60), 'minute'];
  if (abs < 86400) return [Math.round(seconds / 3600), 'hour'];
  return [Math.round(seconds / 86400), 'day'];
}

/** A moment: relative within the week, a date otherwise; in the viewer's zone (IntlProvider's). */
export function Time({ value }: { value: string }) {
  const date = new Date(value);
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const [n, unit] = unitOf(seconds);
  return (
    <time dateTime={value}>
      {Math.abs(seconds) < 86400 * 6 ? (
        <FormattedRelativeTime value={n} unit={unit} numeric="auto" />
      ) : (
        <FormattedDate value={date} day="numeric" month="short" year="numeric" />
      )}
    </time>
  );
}
