import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import {
  AdminNetworkDocument,
  AdminUpdateNetworkDocument,
  type AdminNetworkFieldsFragment,
  type RegistrationMode,
} from '../../gql/graphql';
import {
  Button,
  fieldProblem,
  Page,
  Problems,
  problemsOf,
  Select,
  Skeleton,
  TextField,
} from '../../ui';
import { timeZones } from '../people/timeZones';

/** /admin — the network's settings: name, language, who may sign up, quiet hours. */
export function SettingsPage() {
  const intl = useIntl();
  const { data, loading, error } = useQuery(AdminNetworkDocument);
  return (
    <Page
      title={intl.formatMessage({
        id: 'admin.settings.title',
        defaultMessage: 'Network settings',
        description: 'Admin settings page title',
      })}
    >
      {loading && !data ? (
        <Skeleton rows={2} />
      ) : data ? (
        <SettingsForm network={data.network} />
      ) : (
        <Problems problems={problemsOf(error)} />
      )}
    </Page>
  );
}

const MODES: RegistrationMode[] = ['DOMAIN', 'INVITE_ONLY', 'SSO_ONLY'];
const FIELDS = [
  'name',
  'defaultLocale',
  'registrationMode',
  'allowedEmailDomains',
  'quietHours',
  'clearQuietHours',
];

function cleanDomain(raw: string): string {
  return raw.trim().toLowerCase().replace(/^@/, '');
}

function SettingsForm({ network }: { network: AdminNetworkFieldsFragment }) {
  const intl = useIntl();
  const ids = useId();
  const qh = network.quietHours;
  const [name, setName] = useState(network.name);
  const [defaultLocale, setDefaultLocale] = useState(network.defaultLocale);
  const [mode, setMode] = useState<RegistrationMode>(network.registrationMode);
  const [domains, setDomains] = useState<string[]>(network.allowedEmailDomains);
  const [newDomain, setNewDomain] = useState('');
  const [quiet, setQuiet] = useState(!!qh);
  const [days, setDays] = useState<number[]>(qh?.days ?? [1, 2, 3, 4, 5]);
  const [start, setStart] = useState(qh?.start ?? '20:00');
  const [end, setEnd] = useState(qh?.end ?? '07:00');
  const [timezone, setTimezone] = useState(
    qh?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [saved, setSaved] = useState(false);
  const [announce, setAnnounce] = useState('');
  const [update, { loading, error }] = useMutation(AdminUpdateNetworkDocument);
  const zones = useMemo(() => timeZones(timezone), [timezone]);
  const problems = problemsOf(error);
  const err = (f: string) => fieldProblem(problems, f)?.message;
  const weekdays = useMemo(
    () =>
      [1, 2, 3, 4, 5, 6, 7].map((d) => ({
        d,
        label: intl.formatDate(new Date(Date.UTC(2024, 0, d, 12)), {
          weekday: 'long',
          timeZone: 'UTC',
        }),
      })),
    [intl],
  );
  const touched = () => setSaved(false);

  const addDomain = () => {
    const d = cleanDomain(newDomain);
    if (!d) return;
    touched();
    if (!domains.includes(d)) setDomains([...domains, d]);
    setNewDomain('');
    setAnnounce(
      intl.formatMessage(
        {
          id: 'admin.settings.domainAdded',
          defaultMessage: '{domain} added.',
          description: 'Announced after adding a domain to the list',
        },
        { domain: d },
      ),
    );
  };
  const removeDomain = (d: string) => {
    touched();
    setDomains(domains.filter((x) => x !== d));
    setAnnounce(
      intl.formatMessage(
        {
          id: 'admin.settings.domainRemoved',
          defaultMessage: '{domain} removed.',
          description: 'Announced after removing a domain from the list',
        },
        { domain: d },
      ),
    );
  };
  const onDomainKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      addDomain();
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    // A domain typed but not added yet is meant to be in the list.
    const pending = cleanDomain(newDomain);
    const list = pending && !domains.includes(pending) ? [...domains, pending] : domains;
    const { data } = await update({
      variables: {
        input: {
          name,
          defaultLocale,
          registrationMode: mode,
          allowedEmailDomains: list,
          ...(quiet
            ? { quietHours: { days: [...days].sort((a, b) => a - b), start, end, timezone } }
            : { clearQuietHours: true }),
        },
      },
    }).catch(() => ({ data: undefined }));
    if (!data) return;
    setDomains(data.updateNetworkSettings.allowedEmailDomains);
    setNewDomain('');
    setSaved(true);
  };

  const modeText: Record<RegistrationMode, { title: string; body: string }> = {
    DOMAIN: {
      title: intl.formatMessage({
        id: 'admin.settings.mode.domain',
        defaultMessage: 'Company email domains',
        description: 'Registration mode DOMAIN',
      }),
      body: intl.formatMessage({
        id: 'admin.settings.mode.domainHelp',
        defaultMessage:
          'Anyone with an address at one of the domains below may sign up, after confirming it by email.',
        description: 'What DOMAIN registration means',
      }),
    },
    INVITE_ONLY: {
      title: intl.formatMessage({
        id: 'admin.settings.mode.invite',
        defaultMessage: 'Invitation only',
        description: 'Registration mode INVITE_ONLY',
      }),
      body: intl.formatMessage({
        id: 'admin.settings.mode.inviteHelp',
        defaultMessage:
          'Only people an administrator invited may sign up, with the link of their invitation (any domain).',
        description: 'What INVITE_ONLY registration means',
      }),
    },
    SSO_ONLY: {
      title: intl.formatMessage({
        id: 'admin.settings.mode.sso',
        defaultMessage: 'Single sign-on only',
        description: 'Registration mode SSO_ONLY',
      }),
      body: intl.formatMessage({
        id: 'admin.settings.mode.ssoHelp',
        defaultMessage:
          'Accounts come from your company’s single sign-on; the sign-up page is closed.',
        description: 'What SSO_ONLY registration means',
      }),
    },
  };

  const box = 'mb-4 rounded-lg border border-stone-200 bg-white p-4';
  const legend = 'px-1 text-base font-semibold text-stone-900';
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Problems problems={problems} fields={FIELDS} />
      <fieldset className={box}>
        <legend className={legend}>
          <FormattedMessage
            id="admin.settings.general"
            defaultMessage="The network"
            description="Settings section: name and language"
          />
        </legend>
        <TextField
          label={
            <FormattedMessage
              id="admin.settings.name"
              defaultMessage="Name"
              description="Network name field"
            />
          }
          hint={
            <FormattedMessage
              id="admin.settings.nameHint"
              defaultMessage="Shown on the sign-in and sign-up pages and in emails."
              description="Hint under the network name"
            />
          }
          value={name}
          onChange={(e) => {
            touched();
            setName(e.target.value);
          }}
          error={err('name')}
        />
        <Select
          label={
            <FormattedMessage
              id="admin.settings.defaultLocale"
              defaultMessage="Default language"
              description="Network default locale field"
            />
          }
          hint={
            <FormattedMessage
              id="admin.settings.defaultLocaleHint"
              defaultMessage="For invitations and for people who have not chosen one."
              description="Hint under the default language"
            />
          }
          value={defaultLocale}
          onChange={(e) => {
            touched();
            setDefaultLocale(e.target.value);
          }}
          error={err('defaultLocale')}
        >
          <option value="en" lang="en">
            English
          </option>
          <option value="fr" lang="fr">
            Français
          </option>
        </Select>
      </fieldset>

      <fieldset className={box}>
        <legend className={legend}>
          <FormattedMessage
            id="admin.settings.registration"
            defaultMessage="Who may sign up"
            description="Settings section: registration mode"
          />
        </legend>
        {MODES.map((m) => (
          <div key={m} className="mb-3 flex items-start gap-3">
            <input
              type="radio"
              id={`${ids}-${m}`}
              name="registrationMode"
              value={m}
              checked={mode === m}
              onChange={() => {
                touched();
                setMode(m);
              }}
              aria-describedby={`${ids}-${m}-help`}
              className="mt-1 h-5 w-5 shrink-0 accent-amber-800"
            />
            <div>
              <label htmlFor={`${ids}-${m}`} className="font-medium text-stone-900">
                {modeText[m].title}
              </label>
              <p id={`${ids}-${m}-help`} className="text-sm text-stone-700">
                {modeText[m].body}
              </p>
            </div>
          </div>
        ))}
        {err('registrationMode') && (
          <p role="alert" className="text-sm text-red-700">
            {err('registrationMode')}
          </p>
        )}
      </fieldset>

      <fieldset className={box}>
        <legend className={legend}>
          <FormattedMessage
            id="admin.settings.domains"
            defaultMessage="Allowed email domains"
            description="Settings section: the allowed domains list"
          />
        </legend>
        <p className="mb-2 text-sm text-stone-700">
          {mode === 'DOMAIN' ? (
            <FormattedMessage
              id="admin.settings.domainsHelp"
              defaultMessage="People with an address at these domains may sign up."
              description="Help above the domains list in DOMAIN mode"
            />
          ) : (
            <FormattedMessage
              id="admin.settings.domainsUnused"
              defaultMessage="Kept for when you open sign-up by domain again; not used in this mode."
              description="Help above the domains list in other modes"
            />
          )}
        </p>
        {domains.length ? (
          <ul className="mb-3 divide-y divide-stone-100 rounded-md border border-stone-200">
            {domains.map((d) => (
              <li key={d} className="flex items-center justify-between gap-2 px-3 py-1">
                <span className="min-w-0 break-all text-stone-900">@{d}</span>
                <Button
                  variant="ghost"
                  onClick={() => removeDomain(d)}
                  aria-label={intl.formatMessage(
                    {
                      id: 'admin.settings.removeDomain',
                      defaultMessage: 'Remove {domain}',
                      description: 'Button removing a domain from the list (screen readers)',
                    },
                    { domain: d },
                  )}
                >
                  <FormattedMessage
                    id="admin.settings.remove"
                    defaultMessage="Remove"
                    description="Button removing a domain from the list"
                  />
                </Button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mb-3 text-sm font-medium text-stone-800">
            <FormattedMessage
              id="admin.settings.noDomains"
              defaultMessage="No domain: no one can sign up by domain."
              description="The domains list is empty"
            />
          </p>
        )}
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1 [&>div]:mb-0">
            <TextField
              label={
                <FormattedMessage
                  id="admin.settings.newDomain"
                  defaultMessage="Add a domain"
                  description="Field to add a domain"
                />
              }
              placeholder="acme.com"
              autoCapitalize="none"
              spellCheck={false}
              value={newDomain}
              onChange={(e) => setNewDomain(e.target.value)}
              onKeyDown={onDomainKey}
              error={err('allowedEmailDomains')}
            />
          </div>
          <Button variant="secondary" onClick={addDomain}>
            <FormattedMessage
              id="admin.settings.add"
              defaultMessage="Add"
              description="Button adding the typed domain"
            />
          </Button>
        </div>
        <p role="status" aria-live="polite" className="sr-only">
          {announce}
        </p>
      </fieldset>

      <fieldset className={box}>
        <legend className={legend}>
          <FormattedMessage
            id="admin.settings.quietHours"
            defaultMessage="Network quiet hours"
            description="Settings section: the network's quiet hours"
          />
        </legend>
        <p className="mb-3 text-sm text-stone-700">
          <FormattedMessage
            id="admin.settings.quietHoursHelp"
            defaultMessage="The right to disconnect: during these hours no email or push notification leaves for anyone; they are sent when the window ends."
            description="What network quiet hours do"
          />
        </p>
        <div className="mb-3 flex items-center gap-3">
          <input
            type="checkbox"
            id={`${ids}-quiet`}
            checked={quiet}
            onChange={(e) => {
              touched();
              setQuiet(e.target.checked);
            }}
            className="h-5 w-5 accent-amber-800"
          />
          <label htmlFor={`${ids}-quiet`} className="font-medium text-stone-900">
            <FormattedMessage
              id="admin.settings.quietOn"
              defaultMessage="Keep quiet hours for the whole network"
              description="Checkbox turning network quiet hours on"
            />
          </label>
        </div>
        {quiet && (
          <>
            <fieldset className="mb-3">
              <legend className="mb-1 text-sm font-medium text-stone-800">
                <FormattedMessage
                  id="admin.settings.days"
                  defaultMessage="Starting on"
                  description="Legend of the quiet hours' weekdays"
                />
              </legend>
              <div className="flex flex-wrap gap-x-4 gap-y-1">
                {weekdays.map(({ d, label }) => (
                  <label key={d} className="flex items-center gap-2 text-stone-900">
                    <input
                      type="checkbox"
                      checked={days.includes(d)}
                      onChange={(e) => {
                        touched();
                        setDays(e.target.checked ? [...days, d] : days.filter((x) => x !== d));
                      }}
                      className="h-5 w-5 accent-amber-800"
                    />
                    {label}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="grid gap-x-4 sm:grid-cols-2">
              <TextField
                type="time"
                label={
                  <FormattedMessage
                    id="admin.settings.start"
                    defaultMessage="From"
                    description="Quiet hours start time"
                  />
                }
                value={start}
                onChange={(e) => {
                  touched();
                  setStart(e.target.value);
                }}
                error={err('start')}
              />
              <TextField
                type="time"
                label={
                  <FormattedMessage
                    id="admin.settings.end"
                    defaultMessage="Until"
                    description="Quiet hours end time"
                  />
                }
                hint={
                  <FormattedMessage
                    id="admin.settings.endHint"
                    defaultMessage="Earlier than the start: the window runs past midnight."
                    description="Hint under the quiet hours end"
                  />
                }
                value={end}
                onChange={(e) => {
                  touched();
                  setEnd(e.target.value);
                }}
                error={err('end')}
              />
            </div>
            <Select
              label={
                <FormattedMessage
                  id="admin.settings.timezone"
                  defaultMessage="In the time zone"
                  description="Quiet hours time zone"
                />
              }
              value={timezone}
              onChange={(e) => {
                touched();
                setTimezone(e.target.value);
              }}
              error={err('timezone')}
            >
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, ' ')}
                </option>
              ))}
            </Select>
          </>
        )}
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" busy={loading}>
          <FormattedMessage
            id="admin.settings.save"
            defaultMessage="Save the settings"
            description="Network settings submit button"
          />
        </Button>
        <p role="status" aria-live="polite" className="text-sm text-green-800">
          {saved && (
            <FormattedMessage
              id="admin.settings.saved"
              defaultMessage="Settings saved."
              description="After saving the network settings"
            />
          )}
        </p>
      </div>
    </form>
  );
}
