import { FormattedMessage } from 'react-intl';
import { useResumeWords } from './when';

/**
 * That a colleague is in quiet hours now and when they will be told (User.quietHoursUntil); for
 * profiles and the composer. Nothing when they are not in quiet hours.
 */
export function QuietHoursNotice({
  until,
  name,
}: {
  until: string | null | undefined;
  /** The colleague's name; "This person" when absent. */
  name?: string;
}) {
  const when = useResumeWords(until);
  if (!when) return null;
  return (
    <p className="flex items-start gap-2 rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-950">
      <svg
        aria-hidden="true"
        width="16"
        height="16"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        className="mt-0.5 shrink-0"
      >
        <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
      </svg>
      <span>
        {name ? (
          <FormattedMessage
            id="notifications.quietNotice.named"
            defaultMessage="{name} is in quiet hours; they will be told {when}."
            description="On a colleague's profile or in the composer: they get no email or push until then"
            values={{ name, when }}
          />
        ) : (
          <FormattedMessage
            id="notifications.quietNotice.anonymous"
            defaultMessage="This person is in quiet hours; they will be told {when}."
            description="On a colleague's profile or in the composer, without the name"
            values={{ when }}
          />
        )}
      </span>
    </p>
  );
}
