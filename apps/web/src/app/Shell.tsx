import * as Menu from '@radix-ui/react-dropdown-menu';
import { FormattedMessage, useIntl } from 'react-intl';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { Bell } from '../features/notifications/Bell';
import { Avatar } from '../ui';
import { locale, useLocale } from './intl';
import { session } from './session';
import { useViewer } from './useSession';

const navClass = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium ${isActive ? 'bg-amber-100 text-amber-950' : 'text-stone-800 hover:bg-stone-100'}`;

/** The frame of every member's page: skip link, navigation, bell, the viewer's menu. */
export function Shell() {
  const intl = useIntl();
  const viewer = useViewer();
  const lang = useLocale();
  const navigate = useNavigate();
  const item =
    'block cursor-pointer rounded px-3 py-2 text-sm text-stone-900 outline-none data-[highlighted]:bg-amber-100';
  return (
    <div className="min-h-screen bg-stone-50">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        <FormattedMessage
          id="shell.skip"
          defaultMessage="Skip to content"
          description="Skip link"
        />
      </a>
      <header className="sticky top-0 z-30 border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center gap-2 px-3 py-2">
          <NavLink to="/" className="mr-2 flex items-center gap-2 font-bold text-amber-900">
            <img src="/icon.svg" alt="" width={28} height={28} />
            <span>Ruche</span>
          </NavLink>
          <nav
            aria-label={intl.formatMessage({
              id: 'shell.nav',
              defaultMessage: 'Main',
              description: 'Main navigation label',
            })}
            className="hidden flex-1 gap-1 sm:flex"
          >
            <Links />
          </nav>
          <div className="ml-auto flex items-center gap-1">
            <Bell />
            <Menu.Root>
              <Menu.Trigger
                className="rounded-full p-1 focus-visible:outline-2 focus-visible:outline-amber-700"
                aria-label={intl.formatMessage({
                  id: 'shell.menu',
                  defaultMessage: 'Your account',
                  description: 'Account menu button',
                })}
              >
                <Avatar name={viewer.displayName} size={32} />
              </Menu.Trigger>
              <Menu.Portal>
                <Menu.Content
                  align="end"
                  sideOffset={6}
                  className="z-50 min-w-52 rounded-md border border-stone-200 bg-white p-1 shadow-lg"
                >
                  <Menu.Label className="px-3 py-2 text-xs text-stone-600">
                    {viewer.displayName}
                  </Menu.Label>
                  <Menu.Item
                    className={item}
                    onSelect={() => void navigate(`/people/${viewer.handle}`)}
                  >
                    <FormattedMessage
                      id="shell.profile"
                      defaultMessage="My profile"
                      description="Menu item"
                    />
                  </Menu.Item>
                  <Menu.Item className={item} onSelect={() => void navigate('/settings/profile')}>
                    <FormattedMessage
                      id="shell.settings"
                      defaultMessage="Edit my profile"
                      description="Menu item"
                    />
                  </Menu.Item>
                  <Menu.Item
                    className={item}
                    onSelect={() => void navigate('/settings/notifications')}
                  >
                    <FormattedMessage
                      id="shell.notificationSettings"
                      defaultMessage="Notification settings"
                      description="Menu item"
                    />
                  </Menu.Item>
                  {viewer.role === 'ADMIN' && (
                    <Menu.Item className={item} onSelect={() => void navigate('/admin')}>
                      <FormattedMessage
                        id="shell.admin"
                        defaultMessage="Network administration"
                        description="Menu item"
                      />
                    </Menu.Item>
                  )}
                  <Menu.Separator className="my-1 h-px bg-stone-200" />
                  <Menu.Item
                    className={item}
                    onSelect={() => locale.set(lang === 'fr' ? 'en' : 'fr')}
                    lang={lang === 'fr' ? 'en' : 'fr'}
                  >
                    {lang === 'fr' ? 'English' : 'Français'}
                  </Menu.Item>
                  <Menu.Item className={item} onSelect={() => void session.signOut()}>
                    <FormattedMessage
                      id="shell.signOut"
                      defaultMessage="Sign out"
                      description="Menu item"
                    />
                  </Menu.Item>
                </Menu.Content>
              </Menu.Portal>
            </Menu.Root>
          </div>
        </div>
        <nav
          aria-label={intl.formatMessage({
            id: 'shell.nav',
            defaultMessage: 'Main',
            description: 'Main navigation label',
          })}
          className="flex gap-1 overflow-x-auto border-t border-stone-100 px-2 py-1 sm:hidden"
        >
          <Links />
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="outline-none">
        <Outlet />
      </main>
    </div>
  );
}

function Links() {
  return (
    <>
      <NavLink to="/" end className={navClass}>
        <FormattedMessage id="shell.home" defaultMessage="Home" description="Nav link" />
      </NavLink>
      <NavLink to="/company" className={navClass}>
        <FormattedMessage
          id="shell.company"
          defaultMessage="Company"
          description="Nav link: the company feed"
        />
      </NavLink>
      <NavLink to="/groups" className={navClass}>
        <FormattedMessage id="shell.groups" defaultMessage="Groups" description="Nav link" />
      </NavLink>
      <NavLink to="/people" className={navClass}>
        <FormattedMessage
          id="shell.people"
          defaultMessage="People"
          description="Nav link: the directory"
        />
      </NavLink>
      <NavLink to="/search" className={navClass}>
        <FormattedMessage id="shell.search" defaultMessage="Search" description="Nav link" />
      </NavLink>
    </>
  );
}
