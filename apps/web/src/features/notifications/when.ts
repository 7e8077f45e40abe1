import { useIntl } from 'react-intl';

/**
 * When a held delivery resumes, in words, in the viewer's zone: "at 08:00" today, "tomorrow at
 * 08:00", "on Monday 7 December at 08:00" later.
 */
export function useResumeWords(until: string | null | undefined): string | null {
  const intl = useIntl();
  if (!until) return null;
  const at = new Date(until);
  const time = intl.formatTime(at, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dayOf = (d: Date) =>
    intl.formatDate(d, { year: 'numeric', month: 'numeric', day: 'numeric' });
  const today = dayOf(new Date());
  const tomorrow = dayOf(new Date(Date.now() + 86_400_000));
  if (dayOf(at) === today)
    return intl.formatMessage(
      { id: 'notifications.when.today', defaultMessage: 'at {time}', description: 'A time today' },
      { time },
    );
  if (dayOf(at) === tomorrow)
    return intl.formatMessage(
      {
        id: 'notifications.when.tomorrow',
        defaultMessage: 'tomorrow at {time}',
        description: 'A time tomorrow',
      },
      { time },
    );
  return intl.formatMessage(
    {
      id: 'notifications.when.later',
      defaultMessage: 'on {day} at {time}',
      description: 'A day and time after tomorrow',
    },
    { time, day: intl.formatDate(at, { weekday: 'long', day: 'numeric', month: 'long' }) },
  );
}
