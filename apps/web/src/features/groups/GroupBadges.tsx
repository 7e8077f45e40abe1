import { FormattedMessage, useIntl } from 'react-intl';
import type { GroupListFieldsFragment } from '../../gql/graphql';
import { joinPolicyName, roleName, visibilityName } from './words';

const badge = 'rounded-full border px-2 py-0.5 text-xs font-medium';

/** A group's visibility, join policy, member count and the viewer's membership, in words. */
export function GroupBadges({
  group,
}: {
  group: Pick<
    GroupListFieldsFragment,
    'visibility' | 'joinPolicy' | 'membersCount' | 'viewerMembership'
  >;
}) {
  const intl = useIntl();
  const m = group.viewerMembership;
  return (
    <ul className="mt-2 flex flex-wrap gap-2 text-stone-800">
      <li className={`${badge} border-stone-300 bg-stone-50`}>
        {intl.formatMessage(visibilityName[group.visibility])}
      </li>
      <li className={`${badge} border-stone-300 bg-stone-50`}>
        {intl.formatMessage(joinPolicyName[group.joinPolicy])}
      </li>
      <li className={`${badge} border-stone-300 bg-stone-50`}>
        <FormattedMessage
          id="groups.membersCount"
          defaultMessage="{count, plural, one {# member} other {# members}}"
          description="A group's number of active members"
          values={{ count: group.membersCount }}
        />
      </li>
      {m && (
        <li className={`${badge} border-amber-300 bg-amber-50 text-amber-950`}>
          {m.status === 'ACTIVE' ? (
            <FormattedMessage
              id="groups.membership.active"
              defaultMessage="Your role: {role}"
              description="The viewer's role in the group"
              values={{ role: intl.formatMessage(roleName[m.role]) }}
            />
          ) : m.status === 'PENDING' ? (
            <FormattedMessage
              id="groups.membership.pending"
              defaultMessage="Request pending"
              description="The viewer asked to join and waits"
            />
          ) : (
            <FormattedMessage
              id="groups.membership.invited"
              defaultMessage="You are invited"
              description="The viewer holds an invitation"
            />
          )}
        </li>
      )}
    </ul>
  );
}
