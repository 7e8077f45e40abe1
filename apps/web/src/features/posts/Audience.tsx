import { useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useViewer } from '../../app';
import {
  PostComposerFollowersDocument,
  PostComposerGroupsDocument,
  PostMentionSuggestionsDocument,
  type AudienceInput,
} from '../../gql/graphql';

export type AudienceChoice =
  | { kind: 'NETWORK' | 'FOLLOWERS' | 'PRIVATE' }
  | { kind: 'GROUP'; groupId: string }
  | {
      kind: 'CUSTOM';
      users: { id: string; displayName: string }[];
      groups: { id: string; name: string; membersCount: number }[];
    };

export function audienceInput(a: AudienceChoice): AudienceInput {
  switch (a.kind) {
    case 'GROUP':
      return { kind: 'GROUP', groupId: a.groupId };
    case 'CUSTOM':
      return {
        kind: 'CUSTOM',
        userIds: a.users.map((u) => u.id),
        groupIds: a.groups.map((g) => g.id),
      };
    case 'NETWORK':
    case 'FOLLOWERS':
    case 'PRIVATE':
      return { kind: a.kind };
  }
}

/** The first audience a viewer may use: the network, or for a guest its first group. */
export function defaultAudience(role: string, groupId?: string): AudienceChoice {
  if (groupId) return { kind: 'GROUP', groupId };
  return role === 'GUEST' ? { kind: 'CUSTOM', users: [], groups: [] } : { kind: 'NETWORK' };
}

function CustomPicker({
  value,
  onChange,
  groups,
}: {
  value: Extract<AudienceChoice, { kind: 'CUSTOM' }>;
  onChange: (a: AudienceChoice) => void;
  groups: { id: string; name: string; membersCount: number }[];
}) {
  const intl = useIntl();
  const id = useId();
  const [query, setQuery] = useState('');
  const { data } = useQuery(PostMentionSuggestionsDocument, {
    variables: { query },
    skip: query.trim().length < 2,
  });
  const found = (data?.users.nodes ?? []).filter((u) => !value.users.some((v) => v.id === u.id));
  return (
    <div className="mt-2 rounded-md border border-stone-200 p-3">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        <FormattedMessage
          id="posts.audience.addPeople"
          defaultMessage="Add people"
          description="Search field of the custom audience"
        />
      </label>
      <input
        id={id}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder={intl.formatMessage({
          id: 'posts.audience.searchPeople',
          defaultMessage: 'Name or handle',
          description: 'Placeholder of the people search in the custom audience',
        })}
        className="mt-1 block w-full rounded-md border border-stone-400 bg-white px-3 py-2 text-base text-stone-900 focus:border-amber-700 focus:outline-2 focus:outline-amber-700"
      />
      {found.length > 0 && (
        <ul className="mt-1 flex flex-wrap gap-1">
          {found.map((u) => (
            <li key={u.id}>
              <button
                type="button"
                className="rounded-full border border-stone-300 px-2 py-1 text-sm hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-amber-700"
                onClick={() => {
                  onChange({
                    ...value,
                    users: [...value.users, { id: u.id, displayName: u.displayName }],
                  });
                  setQuery('');
                }}
              >
                <FormattedMessage
                  id="posts.audience.add"
                  defaultMessage="Add {name}"
                  description="Adds a person to the custom audience"
                  values={{ name: u.displayName }}
                />
              </button>
            </li>
          ))}
        </ul>
      )}
      {value.users.length > 0 && (
        <ul
          className="mt-2 flex flex-wrap gap-1"
          aria-label={intl.formatMessage({
            id: 'posts.audience.chosen',
            defaultMessage: 'People chosen',
            description: 'List of people in the custom audience',
          })}
        >
          {value.users.map((u) => (
            <li
              key={u.id}
              className="inline-flex items-center gap-1 rounded-full bg-amber-100 px-2 py-1 text-sm text-amber-950"
            >
              {u.displayName}
              <button
                type="button"
                className="rounded px-1 focus-visible:outline-2 focus-visible:outline-amber-700"
                aria-label={intl.formatMessage(
                  {
                    id: 'posts.audience.remove',
                    defaultMessage: 'Remove {name}',
                    description: 'Removes a person from the custom audience',
                  },
                  { name: u.displayName },
                )}
                onClick={() =>
                  onChange({ ...value, users: value.users.filter((x) => x.id !== u.id) })
                }
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {groups.length > 0 && (
        <fieldset className="mt-3">
          <legend className="text-sm font-medium text-stone-800">
            <FormattedMessage
              id="posts.audience.groups"
              defaultMessage="And the members of"
              description="Legend of the group checkboxes of the custom audience"
            />
          </legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {groups.map((g) => (
              <label key={g.id} className="inline-flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="h-4 w-4 accent-amber-800"
                  checked={value.groups.some((x) => x.id === g.id)}
                  onChange={(e) =>
                    onChange({
                      ...value,
                      groups: e.target.checked
                        ? [...value.groups, g]
                        : value.groups.filter((x) => x.id !== g.id),
                    })
                  }
                />
                {g.name}
              </label>
            ))}
          </div>
        </fieldset>
      )}
    </div>
  );
}

/**
 * Who will read the post: the picker (network, followers, only me, a group the viewer may post
 * in, named people and groups), and the resulting audience in words.
 */
export function AudiencePicker({
  value,
  onChange,
  fixedGroupId,
  onWall,
}: {
  value: AudienceChoice;
  onChange: (a: AudienceChoice) => void;
  /** In a group page: the audience is that group. */
  fixedGroupId?: string;
  /** On someone else's wall. */
  onWall?: boolean;
}) {
  const intl = useIntl();
  const viewer = useViewer();
  const id = useId();
  const groupsQ = useQuery(PostComposerGroupsDocument);
  const followersQ = useQuery(PostComposerFollowersDocument, { skip: !!fixedGroupId });
  const memberGroups = groupsQ.data?.groups.nodes ?? [];
  const postable = memberGroups.filter((g) => g.viewerPermissions.includes('POST'));
  const guest = viewer.role === 'GUEST';
  const selectValue = value.kind === 'GROUP' ? `group:${value.groupId}` : value.kind;
  const group = value.kind === 'GROUP' ? memberGroups.find((g) => g.id === value.groupId) : null;
  const followers = followersQ.data?.viewer?.followersCount;

  let words: string;
  switch (value.kind) {
    case 'NETWORK':
      words = intl.formatMessage({
        id: 'posts.audience.words.network',
        defaultMessage: 'Visible to everyone in the company',
        description: 'The audience in words: the whole network',
      });
      break;
    case 'FOLLOWERS':
      words =
        followers === undefined
          ? intl.formatMessage({
              id: 'posts.audience.words.followersUnknown',
              defaultMessage: 'Visible to your followers',
              description: 'The audience in words: followers, before their count is known',
            })
          : followers === 0
            ? intl.formatMessage({
                id: 'posts.audience.words.noFollowers',
                defaultMessage: 'Visible to no one else yet: you have no followers',
                description: 'The audience in words: followers, when there are none',
              })
            : intl.formatMessage(
                {
                  id: 'posts.audience.words.followers',
                  defaultMessage:
                    'Visible to your {count, plural, one {# follower} other {# followers}}',
                  description: 'The audience in words: the author’s followers',
                },
                { count: followers },
              );
      break;
    case 'PRIVATE':
      words = onWall
        ? intl.formatMessage({
            id: 'posts.audience.words.privateWall',
            defaultMessage: 'Visible only to you and the owner of this wall',
            description: 'The audience in words: private, on someone’s wall',
          })
        : intl.formatMessage({
            id: 'posts.audience.words.private',
            defaultMessage: 'Visible only to you',
            description: 'The audience in words: private',
          });
      break;
    case 'GROUP':
      words = group
        ? intl.formatMessage(
            {
              id: 'posts.audience.words.group',
              defaultMessage:
                'Visible to the {count, plural, one {# member} other {# members}} of {name}',
              description: 'The audience in words: a group, with its member count',
            },
            { count: group.membersCount, name: group.name },
          )
        : intl.formatMessage({
            id: 'posts.audience.words.groupUnknown',
            defaultMessage: 'Visible to the readers of this group',
            description: 'The audience in words: a group not yet loaded',
          });
      break;
    case 'CUSTOM': {
      const names = [
        ...value.users.map((u) => u.displayName),
        ...value.groups.map((g) =>
          intl.formatMessage(
            {
              id: 'posts.audience.words.groupMembers',
              defaultMessage: 'the {count, plural, one {# member} other {# members}} of {name}',
              description: 'One group in the custom audience in words',
            },
            { count: g.membersCount, name: g.name },
          ),
        ),
      ];
      words = names.length
        ? intl.formatMessage(
            {
              id: 'posts.audience.words.custom',
              defaultMessage: 'Visible to you and {list}',
              description: 'The audience in words: named people and groups',
            },
            { list: intl.formatList(names, { type: 'conjunction' }) },
          )
        : intl.formatMessage({
            id: 'posts.audience.words.customEmpty',
            defaultMessage: 'Choose the people and groups who will see it',
            description: 'The custom audience is still empty',
          });
      break;
    }
  }

  const wordsLine = (
    <p id={`${id}-words`} aria-live="polite" className="mt-1 text-sm text-stone-700">
      {words}
    </p>
  );
  if (fixedGroupId) return <div className="mb-3">{wordsLine}</div>;

  return (
    <div className="mb-3">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        <FormattedMessage
          id="posts.audience.label"
          defaultMessage="Audience"
          description="Label of the audience picker"
        />
      </label>
      <select
        id={id}
        value={selectValue}
        aria-describedby={`${id}-words`}
        onChange={(e) => {
          const v = e.target.value;
          if (v.startsWith('group:')) onChange({ kind: 'GROUP', groupId: v.slice(6) });
          else if (v === 'CUSTOM') onChange({ kind: 'CUSTOM', users: [], groups: [] });
          else onChange({ kind: v as 'NETWORK' | 'FOLLOWERS' | 'PRIVATE' });
        }}
        className="mt-1 block w-full rounded-md border border-stone-400 bg-white px-3 py-2 text-base text-stone-900 focus:border-amber-700 focus:outline-2 focus:outline-amber-700 sm:w-auto"
      >
        {!guest && (
          <option value="NETWORK">
            {intl.formatMessage({
              id: 'posts.audience.network',
              defaultMessage: 'Everyone (the company)',
              description: 'Audience option',
            })}
          </option>
        )}
        {!guest && (
          <option value="FOLLOWERS">
            {intl.formatMessage({
              id: 'posts.audience.followers',
              defaultMessage: 'My followers',
              description: 'Audience option',
            })}
          </option>
        )}
        {!guest && (
          <option value="PRIVATE">
            {intl.formatMessage({
              id: 'posts.audience.private',
              defaultMessage: 'Only me',
              description: 'Audience option',
            })}
          </option>
        )}
        {postable.length > 0 && (
          <optgroup
            label={intl.formatMessage({
              id: 'posts.audience.inGroup',
              defaultMessage: 'In a group',
              description: 'Audience options: the groups',
            })}
          >
            {postable.map((g) => (
              <option key={g.id} value={`group:${g.id}`}>
                {g.name}
              </option>
            ))}
          </optgroup>
        )}
        <option value="CUSTOM">
          {intl.formatMessage({
            id: 'posts.audience.custom',
            defaultMessage: 'Named people and groups',
            description: 'Audience option',
          })}
        </option>
      </select>
      {wordsLine}
      {value.kind === 'CUSTOM' && (
        <CustomPicker value={value} onChange={onChange} groups={memberGroups} />
      )}
    </div>
  );
}
