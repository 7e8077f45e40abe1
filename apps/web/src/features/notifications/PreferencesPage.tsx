import { useMutation, useQuery } from '@apollo/client/react';
import { useMemo, useState, type FormEvent } from 'react';
import { defineMessages, FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import {
  NotificationsPreferencesDocument,
  NotificationsUpdatePreferencesDocument,
  type DigestFrequency,
  type NotificationChannel,
  type NotificationsPreferencesQuery,
  type NotificationType,
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
import { PushSection } from './PushSection';
import { useResumeWords } from './when';

const CHANNELS: NotificationChannel[] = ['IN_APP', 'EMAIL', 'PUSH'];
const DIGESTS: DigestFrequency[] = ['OFF', 'HOURLY', 'DAILY', 'WEEKLY'];
const DAYS = [1, 2, 3, 4, 5, 6, 7];

const typeNames = defineMessages<NotificationType>({
  MENTION: {
    id: 'notifications.prefs.type.mention',
    defaultMessage: 'Mentions',
    description: 'A kind of notification',
  },
  COMMENT: {
    id: 'notifications.prefs.type.comment',
    defaultMessage: 'Comments on my posts',
    description: 'A kind of notification',
  },
  REPLY: {
    id: 'notifications.prefs.type.reply',
    defaultMessage: 'Replies to my comments',
    description: 'A kind of notification',
  },
  REACTION: {
    id: 'notifications.prefs.type.reaction',
    defaultMessage: 'Reactions',
    description: 'A kind of notification',
  },
  WALL_POST: {
    id: 'notifications.prefs.type.wallPost',
    defaultMessage: 'Posts on my wall',
    description: 'A kind of notification',
  },
  FOLLOW: {
    id: 'notifications.prefs.type.follow',
    defaultMessage: 'New followers',
    description: 'A kind of notification',
  },
  GROUP_INVITATION: {
    id: 'notifications.prefs.type.groupInvitation',
    defaultMessage: 'Group invitations',
    description: 'A kind of notification',
  },
  GROUP_JOIN_REQUEST: {
    id: 'notifications.prefs.type.groupJoinRequest',
    defaultMessage: 'Requests to join my groups',
    description: 'A kind of notification',
  },
  GROUP_JOIN_APPROVED: {
    id: 'notifications.prefs.type.groupJoinApproved',
    defaultMessage: 'Accepted join requests',
    description: 'A kind of notification',
  },
  GROUP_POST: {
    id: 'notifications.prefs.type.groupPost',
    defaultMessage: 'Posts in my groups',
    description: 'A kind of notification',
  },
  ANNOUNCEMENT: {
    id: 'notifications.prefs.type.announcement',
    defaultMessage: 'Announcements',
    description: 'A kind of notification',
  },
  MESSAGE: {
    id: 'notifications.prefs.type.message',
    defaultMessage: 'Messages',
    description: 'A kind of notification',
  },
  ACKNOWLEDGEMENT_REQUESTED: {
    id: 'notifications.prefs.type.acknowledgementRequested',
    defaultMessage: 'Announcements to acknowledge',
    description: 'A kind of notification',
  },
  REPORT_FILED: {
    id: 'notifications.prefs.type.reportFiled',
    defaultMessage: 'Reports to moderate',
    description: 'A kind of notification',
  },
  REPORT_DECIDED: {
    id: 'notifications.prefs.type.reportDecided',
    defaultMessage: 'Outcome of my reports',
    description: 'A kind of notification',
  },
});

const channelNames = defineMessages<NotificationChannel>({
  IN_APP: {
    id: 'notifications.prefs.channel.inApp',
    defaultMessage: 'In app',
    description: 'A notification channel (column heading)',
  },
  EMAIL: {
    id: 'notifications.prefs.channel.email',
    defaultMessage: 'Email',
    description: 'A notification channel (column heading)',
  },
  PUSH: {
    id: 'notifications.prefs.channel.push',
    defaultMessage: 'Push',
    description: 'A notification channel (column heading): web push',
  },
});

const digestNames = defineMessages<DigestFrequency>({
  OFF: {
    id: 'notifications.prefs.digest.off',
    defaultMessage: 'One email per notification',
    description: 'Email digest option',
  },
  HOURLY: {
    id: 'notifications.prefs.digest.hourly',
    defaultMessage: 'A summary every hour',
    description: 'Email digest option',
  },
  DAILY: {
    id: 'notifications.prefs.digest.daily',
    defaultMessage: 'A summary once a day (08:00)',
    description: 'Email digest option',
  },
  WEEKLY: {
    id: 'notifications.prefs.digest.weekly',
    defaultMessage: 'A summary once a week (Monday 08:00)',
    description: 'Email digest option',
  },
});

/** ISO weekday (1 = Monday) by name; 1 January 2024 was a Monday. */
const dayName = (intl: IntlShape, day: number, weekday: 'long' | 'short') =>
  intl.formatDate(new Date(Date.UTC(2024, 0, day, 12)), { weekday, timeZone: 'UTC' });

function timeZones(current: string): string[] {
  const all = Intl.supportedValuesOf('timeZone');
  return [...new Set([current, 'UTC', ...all])].sort();
}

/** /settings/notifications: type × channel, email digest, quiet hours, push on this device. */
export function PreferencesPage() {
  const intl = useIntl();
  const { data, loading, error } = useQuery(NotificationsPreferencesDocument, {
    fetchPolicy: 'cache-and-network',
  });
  const title = intl.formatMessage({
    id: 'notifications.prefs.title',
    defaultMessage: 'Notification settings',
    description: 'Page title',
  });
  return (
    <Page title={title}>
      {data ? (
        <PreferencesForm data={data} />
      ) : loading ? (
        <Skeleton rows={2} />
      ) : (
        <Problems problems={problemsOf(error)} />
      )}
      <div className="mt-6">
        <PushSection />
      </div>
    </Page>
  );
}

function PreferencesForm({ data }: { data: NotificationsPreferencesQuery }) {
  const intl = useIntl();
  const prefs = data.notificationPreferences;
  const viewer = data.viewer;
  const zone = viewer?.profile.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [channels, setChannels] = useState<Record<string, NotificationChannel[]>>(() =>
    Object.fromEntries(prefs.settings.map((s) => [s.type, [...s.channels]])),
  );
  const [digest, setDigest] = useState<DigestFrequency>(prefs.emailDigest);
  const [quiet, setQuiet] = useState(!!prefs.quietHours);
  const [days, setDays] = useState<number[]>(prefs.quietHours?.days ?? [1, 2, 3, 4, 5]);
  const [start, setStart] = useState(prefs.quietHours?.start ?? '19:00');
  const [end, setEnd] = useState(prefs.quietHours?.end ?? '08:00');
  const [timezone, setTimezone] = useState(prefs.quietHours?.timezone ?? zone);
  const [saved, setSaved] = useState(false);
  const zones = useMemo(() => timeZones(timezone), [timezone]);
  const [update, { loading, error }] = useMutation(NotificationsUpdatePreferencesDocument, {
    refetchQueries: [NotificationsPreferencesDocument],
    awaitRefetchQueries: true,
  });
  const problems = problemsOf(error);
  const resume = useResumeWords(viewer?.quietHoursUntil);
  const network = data.network.quietHours;

  const toggle = (type: string, channel: NotificationChannel) => {
    setSaved(false);
    setChannels((c) => {
      const now = c[type] ?? [];
      return {
        ...c,
        [type]: now.includes(channel) ? now.filter((x) => x !== channel) : [...now, channel],
      };
    });
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const result = await update({
      variables: {
        input: {
          settings: prefs.settings.map((s) => ({
            type: s.type,
            channels: CHANNELS.filter((c) => channels[s.type]?.includes(c)),
          })),
          emailDigest: digest,
          ...(quiet
            ? { quietHours: { days: [...days].sort(), start, end, timezone } }
            : { clearQuietHours: true }),
        },
      },
    }).catch(() => null);
    if (result?.data) setSaved(true);
  };

  const box =
    'h-5 w-5 accent-amber-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700';
  const section = 'mb-6 rounded-lg border border-stone-200 bg-white p-4';
  const h2 = 'mb-3 text-lg font-semibold text-stone-900';

  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <section aria-labelledby="prefs-grid" className={section}>
        <h2 id="prefs-grid" className={h2}>
          <FormattedMessage
            id="notifications.prefs.grid.title"
            defaultMessage="What you are told, and where"
            description="Section heading: the type × channel grid"
          />
        </h2>
        <table className="w-full table-fixed border-collapse text-sm">
          <thead>
            <tr className="border-b border-stone-200 text-left text-stone-700">
              <th scope="col" className="w-[46%] py-2 pr-2 font-medium">
                <FormattedMessage
                  id="notifications.prefs.grid.type"
                  defaultMessage="Notification"
                  description="Grid column heading"
                />
              </th>
              {CHANNELS.map((c) => (
                <th key={c} scope="col" className="px-0.5 py-2 text-center font-medium">
                  {intl.formatMessage(channelNames[c])}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {prefs.settings.map((s) => (
              <tr key={s.type} className="border-b border-stone-100 last:border-0">
                <th
                  scope="row"
                  className="py-2 pr-2 text-left font-normal hyphens-auto text-stone-900"
                >
                  {intl.formatMessage(typeNames[s.type])}
                </th>
                {CHANNELS.map((c) => (
                  <td key={c} className="px-0.5 py-2 text-center">
                    <input
                      type="checkbox"
                      className={box}
                      checked={channels[s.type]?.includes(c) ?? false}
                      onChange={() => toggle(s.type, c)}
                      aria-label={intl.formatMessage(
                        {
                          id: 'notifications.prefs.grid.cell',
                          defaultMessage: '{type}: {channel}',
                          description: 'Accessible name of one checkbox of the grid',
                        },
                        {
                          type: intl.formatMessage(typeNames[s.type]),
                          channel: intl.formatMessage(channelNames[c]),
                        },
                      )}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {fieldProblem(problems, 'settings') && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {fieldProblem(problems, 'settings')?.message}
          </p>
        )}
      </section>

      <section aria-labelledby="prefs-digest" className={section}>
        <h2 id="prefs-digest" className={h2}>
          <FormattedMessage
            id="notifications.prefs.digest.title"
            defaultMessage="Emails"
            description="Section heading: the email digest"
          />
        </h2>
        <Select
          label={intl.formatMessage({
            id: 'notifications.prefs.digest.label',
            defaultMessage: 'Email summary',
            description: 'Label of the email digest choice',
          })}
          value={digest}
          onChange={(e) => {
            setSaved(false);
            setDigest(e.target.value as DigestFrequency);
          }}
          error={fieldProblem(problems, 'emailDigest')?.message}
        >
          {DIGESTS.map((d) => (
            <option key={d} value={d}>
              {intl.formatMessage(digestNames[d])}
            </option>
          ))}
        </Select>
      </section>

      <section aria-labelledby="prefs-quiet" className={section}>
        <h2 id="prefs-quiet" className={h2}>
          <FormattedMessage
            id="notifications.prefs.quiet.title"
            defaultMessage="Quiet hours"
            description="Section heading"
          />
        </h2>
        <p className="mb-3 text-sm text-stone-700">
          <FormattedMessage
            id="notifications.prefs.quiet.explain"
            defaultMessage="During quiet hours no email or push reaches you; they wait until the end. Notifications in the app still arrive."
            description="What quiet hours do"
          />
        </p>
        <p
          role="status"
          className={`mb-3 rounded-md px-3 py-2 text-sm ${resume ? 'border border-indigo-200 bg-indigo-50 text-indigo-950' : 'bg-stone-100 text-stone-800'}`}
        >
          {resume ? (
            <FormattedMessage
              id="notifications.prefs.quiet.now"
              defaultMessage="Quiet hours now: you will be told {when}."
              description="The viewer is in quiet hours; emails and pushes resume then"
              values={{ when: resume }}
            />
          ) : (
            <FormattedMessage
              id="notifications.prefs.quiet.notNow"
              defaultMessage="You are not in quiet hours now."
              description="The viewer is not in quiet hours"
            />
          )}
        </p>
        {network && (
          <p className="mb-3 text-sm text-stone-700">
            <FormattedMessage
              id="notifications.prefs.quiet.network"
              defaultMessage="The network's quiet hours, for everyone: {days}, from {start} to {end}, in your time zone."
              description="The network's right-to-disconnect window"
              values={{
                days:
                  network.days.length === 7
                    ? intl.formatMessage({
                        id: 'notifications.prefs.quiet.everyDay',
                        defaultMessage: 'every day',
                        description: 'The quiet hours start on all seven days',
                      })
                    : intl.formatList(
                        network.days.map((d) => dayName(intl, d, 'long')),
                        { type: 'conjunction' },
                      ),
                start: network.start,
                end: network.end,
              }}
            />
          </p>
        )}
        <label className="mb-3 flex items-center gap-2 text-sm font-medium text-stone-900">
          <input
            type="checkbox"
            className={box}
            checked={quiet}
            onChange={(e) => {
              setSaved(false);
              setQuiet(e.target.checked);
            }}
          />
          <FormattedMessage
            id="notifications.prefs.quiet.enable"
            defaultMessage="Hold my emails and pushes during my own quiet hours"
            description="Checkbox: turns the user's quiet hours on"
          />
        </label>
        {quiet && (
          <div>
            <fieldset className="mb-4">
              <legend className="mb-1 text-sm font-medium text-stone-800">
                <FormattedMessage
                  id="notifications.prefs.quiet.days"
                  defaultMessage="Days they start on"
                  description="Legend of the weekdays on which quiet hours start"
                />
              </legend>
              <div className="flex flex-wrap gap-2">
                {DAYS.map((d) => (
                  <label
                    key={d}
                    className="flex items-center gap-1.5 rounded-md border border-stone-300 px-2 py-1.5 text-sm text-stone-900"
                  >
                    <input
                      type="checkbox"
                      className={box}
                      checked={days.includes(d)}
                      onChange={() => {
                        setSaved(false);
                        setDays((all) =>
                          all.includes(d) ? all.filter((x) => x !== d) : [...all, d],
                        );
                      }}
                    />
                    {dayName(intl, d, 'long')}
                  </label>
                ))}
              </div>
              {fieldProblem(problems, 'days') && (
                <p role="alert" className="mt-1 text-sm text-red-700">
                  {fieldProblem(problems, 'days')?.message}
                </p>
              )}
            </fieldset>
            <div className="grid gap-x-4 sm:grid-cols-3">
              <TextField
                type="time"
                label={intl.formatMessage({
                  id: 'notifications.prefs.quiet.start',
                  defaultMessage: 'From',
                  description: 'Start time of quiet hours',
                })}
                value={start}
                required
                onChange={(e) => {
                  setSaved(false);
                  setStart(e.target.value);
                }}
                error={fieldProblem(problems, 'start')?.message}
              />
              <TextField
                type="time"
                label={intl.formatMessage({
                  id: 'notifications.prefs.quiet.end',
                  defaultMessage: 'Until',
                  description: 'End time of quiet hours',
                })}
                hint={
                  end <= start
                    ? intl.formatMessage({
                        id: 'notifications.prefs.quiet.overnight',
                        defaultMessage: 'The next day',
                        description: 'Hint: the window runs past midnight',
                      })
                    : undefined
                }
                value={end}
                required
                onChange={(e) => {
                  setSaved(false);
                  setEnd(e.target.value);
                }}
                error={fieldProblem(problems, 'end')?.message}
              />
              <Select
                label={intl.formatMessage({
                  id: 'notifications.prefs.quiet.timezone',
                  defaultMessage: 'Time zone',
                  description: 'Time zone of quiet hours',
                })}
                value={timezone}
                onChange={(e) => {
                  setSaved(false);
                  setTimezone(e.target.value);
                }}
                error={fieldProblem(problems, 'timezone')?.message}
              >
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z.replace(/_/g, ' ')}
                  </option>
                ))}
              </Select>
            </div>
          </div>
        )}
      </section>

      <Problems
        problems={problems}
        fields={['settings', 'emailDigest', 'days', 'start', 'end', 'timezone']}
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" busy={loading}>
          <FormattedMessage
            id="notifications.prefs.save"
            defaultMessage="Save settings"
            description="Button"
          />
        </Button>
        <span role="status" className="text-sm text-green-800">
          {saved && (
            <FormattedMessage
              id="notifications.prefs.saved"
              defaultMessage="Settings saved."
              description="After saving"
            />
          )}
        </span>
      </div>
    </form>
  );
}
