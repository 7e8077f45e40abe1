import { useIntl } from 'react-intl';
import { NavLink } from 'react-router';

/** The bell in the shell: a link to the notifications. */
export function Bell() {
  const intl = useIntl();
  return (
    <NavLink
      to="/notifications"
      className="relative rounded-full p-2 text-stone-800 hover:bg-stone-100"
      aria-label={intl.formatMessage({
        id: 'notifications.bell',
        defaultMessage: 'Notifications',
        description: 'Bell label',
      })}
    >
      <svg
        aria-hidden="true"
        width="22"
        height="22"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
    </NavLink>
  );
}
