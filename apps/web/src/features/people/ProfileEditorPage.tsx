import { useMutation, useQuery } from '@apollo/client/react';
import { useMemo, useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { locale as appLocale, pickLocale, session } from '../../app';
import {
  PeopleMyProfileDocument,
  PeopleUpdateProfileDocument,
  type PeopleEditableFieldsFragment,
} from '../../gql/graphql';
import {
  Avatar,
  Button,
  fieldProblem,
  Page,
  Problems,
  problemsOf,
  Select,
  Skeleton,
  TextArea,
  TextField,
} from '../../ui';
import { ManagerPicker, type ManagerChoice } from './ManagerPicker';
import { timeZones } from './timeZones';

/** /settings/profile — the signed-in person edits their own profile. */
export function ProfileEditorPage() {
  const intl = useIntl();
  const { data, loading, error } = useQuery(PeopleMyProfileDocument);
  const title = intl.formatMessage({
    id: 'people.editor.title',
    defaultMessage: 'Edit my profile',
    description: 'Profile editor page title',
  });
  return (
    <Page title={title}>
      {loading && !data ? (
        <Skeleton rows={2} />
      ) : data?.viewer ? (
        <ProfileForm me={data.viewer} />
      ) : (
        <Problems problems={problemsOf(error)} />
      )}
    </Page>
  );
}

const FIELDS = [
  'displayName',
  'handle',
  'jobTitle',
  'department',
  'location',
  'phone',
  'bio',
  'skills',
  'timezone',
  'locale',
  'managerId',
];

function ProfileForm({ me }: { me: PeopleEditableFieldsFragment }) {
  const intl = useIntl();
  const p = me.profile;
  const [form, setForm] = useState({
    displayName: me.displayName,
    handle: me.handle,
    jobTitle: p.jobTitle ?? '',
    department: p.department ?? '',
    location: p.location ?? '',
    phone: p.phone ?? '',
    bio: p.bio ?? '',
    skills: p.skills.join(', '),
    timezone: p.timezone,
    locale: p.locale,
  });
  const [manager, setManager] = useState<ManagerChoice | null>(p.manager ?? null);
  const [saved, setSaved] = useState(false);
  const [update, { loading, error }] = useMutation(PeopleUpdateProfileDocument);
  const zones = useMemo(() => timeZones(p.timezone), [p.timezone]);
  const problems = problemsOf(error);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: e.target.value }));
  };
  const err = (field: string) => fieldProblem(problems, field)?.message;
  const line = (v: string) => v.trim() || null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const { data } = await update({
      variables: {
        input: {
          displayName: form.displayName,
          handle: form.handle.trim(),
          jobTitle: line(form.jobTitle),
          department: line(form.department),
          location: line(form.location),
          phone: line(form.phone),
          bio: form.bio.trim() || null,
          skills: form.skills
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          timezone: form.timezone,
          locale: form.locale,
          ...(manager?.id !== p.manager?.id ? { managerId: manager?.id ?? null } : {}),
        },
      },
    }).catch(() => ({ data: undefined }));
    if (!data) return;
    const u = data.updateProfile;
    session.update({
      displayName: u.displayName,
      handle: u.handle,
      timezone: u.profile.timezone,
      locale: u.profile.locale,
    });
    appLocale.set(pickLocale(u.profile.locale));
    setForm((f) => ({ ...f, displayName: u.displayName, handle: u.handle }));
    setSaved(true);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <div className="mb-6 flex items-center gap-4 rounded-lg border border-stone-200 bg-white p-4">
        <Avatar name={me.displayName} url={p.avatarUrl} size={72} />
        <div className="min-w-0 text-sm text-stone-700">
          <p className="font-medium text-stone-900">
            <FormattedMessage
              id="people.editor.avatar"
              defaultMessage="Your picture"
              description="Next to the current avatar in the editor"
            />
          </p>
          <p>
            <FormattedMessage
              id="people.editor.avatarUnavailable"
              defaultMessage="Changing your picture is not available yet."
              description="The API cannot set an avatar yet"
            />
          </p>
        </div>
      </div>
      <Problems problems={problems} fields={FIELDS} />
      <fieldset className="mb-2 rounded-lg border border-stone-200 bg-white p-4">
        <legend className="px-1 text-base font-semibold text-stone-900">
          <FormattedMessage
            id="people.editor.identity"
            defaultMessage="Who you are"
            description="Editor section: name, handle, title"
          />
        </legend>
        <TextField
          label={
            <FormattedMessage
              id="people.editor.displayName"
              defaultMessage="Name"
              description="Display name field"
            />
          }
          autoComplete="name"
          required
          value={form.displayName}
          onChange={set('displayName')}
          error={err('displayName')}
        />
        <TextField
          label={
            <FormattedMessage
              id="people.editor.handle"
              defaultMessage="Handle"
              description="Handle field (the @name)"
            />
          }
          hint={
            <FormattedMessage
              id="people.editor.handleHint"
              defaultMessage="Your @name and the address of your profile: 3 to 30 lower-case letters, digits, . _ -"
              description="Hint under the handle field"
            />
          }
          autoCapitalize="none"
          spellCheck={false}
          value={form.handle}
          onChange={set('handle')}
          error={err('handle')}
        />
        <TextField
          label={
            <FormattedMessage
              id="people.editor.jobTitle"
              defaultMessage="Job title"
              description="Job title field"
            />
          }
          autoComplete="organization-title"
          value={form.jobTitle}
          onChange={set('jobTitle')}
          error={err('jobTitle')}
        />
        <TextField
          label={
            <FormattedMessage
              id="people.editor.department"
              defaultMessage="Department"
              description="Department field"
            />
          }
          value={form.department}
          onChange={set('department')}
          error={err('department')}
        />
        <TextField
          label={
            <FormattedMessage
              id="people.editor.location"
              defaultMessage="Location"
              description="Location field (office, city)"
            />
          }
          value={form.location}
          onChange={set('location')}
          error={err('location')}
        />
        <TextField
          label={
            <FormattedMessage
              id="people.editor.phone"
              defaultMessage="Phone"
              description="Phone field"
            />
          }
          type="tel"
          autoComplete="tel"
          value={form.phone}
          onChange={set('phone')}
          error={err('phone')}
        />
        <TextArea
          label={
            <FormattedMessage id="people.editor.bio" defaultMessage="Bio" description="Bio field" />
          }
          value={form.bio}
          onChange={set('bio')}
          error={err('bio')}
        />
        <TextField
          label={
            <FormattedMessage
              id="people.editor.skills"
              defaultMessage="Skills"
              description="Skills field"
            />
          }
          hint={
            <FormattedMessage
              id="people.editor.skillsHint"
              defaultMessage="Separated by commas, e.g. budgeting, Excel, Spanish"
              description="Hint under the skills field"
            />
          }
          value={form.skills}
          onChange={set('skills')}
          error={err('skills')}
        />
      </fieldset>
      <fieldset className="mb-2 rounded-lg border border-stone-200 bg-white p-4">
        <legend className="px-1 text-base font-semibold text-stone-900">
          <FormattedMessage
            id="people.editor.manager"
            defaultMessage="Manager"
            description="Editor section: who I report to"
          />
        </legend>
        <ManagerPicker
          selfId={me.id}
          value={manager}
          onChange={(m) => {
            setSaved(false);
            setManager(m);
          }}
          error={err('managerId')}
        />
      </fieldset>
      <fieldset className="mb-4 rounded-lg border border-stone-200 bg-white p-4">
        <legend className="px-1 text-base font-semibold text-stone-900">
          <FormattedMessage
            id="people.editor.preferences"
            defaultMessage="Language and time"
            description="Editor section: locale and time zone"
          />
        </legend>
        <Select
          label={
            <FormattedMessage
              id="people.editor.locale"
              defaultMessage="Language"
              description="Locale field"
            />
          }
          value={form.locale}
          onChange={set('locale')}
          error={err('locale')}
        >
          <option value="en" lang="en">
            English
          </option>
          <option value="fr" lang="fr">
            Français
          </option>
        </Select>
        <Select
          label={
            <FormattedMessage
              id="people.editor.timezone"
              defaultMessage="Time zone"
              description="Time zone field"
            />
          }
          hint={
            <FormattedMessage
              id="people.editor.timezoneHint"
              defaultMessage="Dates and quiet hours are shown in this zone."
              description="Hint under the time zone field"
            />
          }
          value={form.timezone}
          onChange={set('timezone')}
          error={err('timezone')}
        >
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, ' ')}
            </option>
          ))}
        </Select>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" busy={loading}>
          <FormattedMessage
            id="people.editor.save"
            defaultMessage="Save my profile"
            description="Profile editor submit button"
          />
        </Button>
        <Link to={`/people/${me.handle}`} className="text-sm text-amber-800 underline">
          <FormattedMessage
            id="people.editor.view"
            defaultMessage="See my profile"
            description="Link from the editor to my profile"
          />
        </Link>
        <p role="status" aria-live="polite" className="text-sm text-green-800">
          {saved &&
            intl.formatMessage(
              {
                id: 'people.editor.saved',
                defaultMessage: 'Saved. Your profile now shows “{name}”.',
                description: 'After saving the profile',
              },
              { name: form.displayName },
            )}
        </p>
      </div>
    </form>
  );
}
