import { FormattedMessage, useIntl } from 'react-intl';
import { NavLink, Outlet } from 'react-router';
import { useViewer } from '../../app';
import { NotFound } from '../../ui';

const tab = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-amber-700 ${isActive ? 'bg-amber-100 text-amber-950' : 'text-stone-800 hover:bg-stone-100'}`;

/** /admin: only for network admins (anyone else gets the not-found page); its sections as tabs. */
export function AdminLayout() {
  const intl = useIntl();
  const viewer = useViewer();
  if (viewer.role !== 'ADMIN') return <NotFound />;
  return (
    <div className="mx-auto w-full max-w-3xl">
      <nav
        aria-label={intl.formatMessage({
          id: 'admin.nav',
          defaultMessage: 'Network administration',
          description: 'Label of the admin sections navigation',
        })}
        className="flex gap-1 overflow-x-auto border-b border-stone-200 px-4 pt-4 pb-2"
      >
        <NavLink to="/admin" end className={tab}>
          <FormattedMessage
            id="admin.nav.settings"
            defaultMessage="Settings"
            description="Admin tab: network settings"
          />
        </NavLink>
        <NavLink to="/admin/members" className={tab}>
          <FormattedMessage
            id="admin.nav.members"
            defaultMessage="Members"
            description="Admin tab: members"
          />
        </NavLink>
        <NavLink to="/admin/invitations" className={tab}>
          <FormattedMessage
            id="admin.nav.invitations"
            defaultMessage="Invitations"
            description="Admin tab: invitations"
          />
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
