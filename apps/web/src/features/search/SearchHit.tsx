import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import type {
  SearchGroupHitFragment,
  SearchPostHitFragment,
  SearchResultsQuery,
  SearchUserHitFragment,
} from '../../gql/graphql';
import { Avatar, Time } from '../../ui';
import { excerpt, highlight, plainText } from './highlight';

type Hit = SearchResultsQuery['search']['edges'][number]['node'];

/** Text with the query's words in <mark>: React text nodes only, never HTML. */
export function Marked({ text, terms }: { text: string; terms: string[] }) {
  return (
    <>
      {highlight(text, terms).map((s, i) =>
        s.hit ? (
          <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-stone-950">
            {s.text}
          </mark>
        ) : (
          s.text
        ),
      )}
    </>
  );
}

const card =
  'flex items-start gap-3 rounded-lg border border-stone-200 bg-white p-4 hover:border-amber-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700';

function Kind({ children }: { children: React.ReactNode }) {
  return (
    <span className="ml-auto shrink-0 rounded-full bg-stone-100 px-2 py-0.5 text-xs font-medium text-stone-700">
      {children}
    </span>
  );
}

/** One result: a link to the person, the group or the post, its matching words marked. */
export function SearchHitCard({ hit, terms }: { hit: Hit; terms: string[] }) {
  switch (hit.__typename) {
    case 'User':
      return <UserHit user={hit} terms={terms} />;
    case 'Group':
      return <GroupHit group={hit} terms={terms} />;
    case 'Post':
      return <PostHit post={hit} terms={terms} />;
  }
}

function UserHit({ user, terms }: { user: SearchUserHitFragment; terms: string[] }) {
  const about = [user.profile.jobTitle, user.profile.department].filter(Boolean).join(' · ');
  return (
    <Link to={`/people/${user.handle}`} className={card}>
      <Avatar name={user.displayName} url={user.profile.avatarUrl} />
      <div className="min-w-0 flex-1 break-words">
        <p className="font-semibold text-stone-900">
          <Marked text={user.displayName} terms={terms} />
        </p>
        <p className="text-sm text-stone-700">
          @<Marked text={user.handle} terms={terms} />
          {about && (
            <>
              {' · '}
              <Marked text={about} terms={terms} />
            </>
          )}
        </p>
      </div>
      <Kind>
        <FormattedMessage
          id="search.hit.person"
          defaultMessage="Person"
          description="Badge on a result that is a person"
        />
      </Kind>
    </Link>
  );
}

function GroupHit({ group, terms }: { group: SearchGroupHitFragment; terms: string[] }) {
  const description = group.description ? excerpt(group.description, terms, 180) : '';
  return (
    <Link to={`/groups/${group.slug}`} className={card}>
      <span
        aria-hidden="true"
        className="inline-flex h-10 w-10 shrink-0 items-center justify-center rounded-lg bg-amber-100 text-lg font-semibold text-amber-900"
      >
        {group.name.slice(0, 1).toUpperCase()}
      </span>
      <div className="min-w-0 flex-1 break-words">
        <p className="font-semibold text-stone-900">
          <Marked text={group.name} terms={terms} />
        </p>
        {description && (
          <p className="text-sm text-stone-800">
            <Marked text={description} terms={terms} />
          </p>
        )}
        <p className="text-sm text-stone-700">
          <Visibility visibility={group.visibility} />
          {' · '}
          <FormattedMessage
            id="search.hit.group.members"
            defaultMessage="{count, plural, one {# member} other {# members}}"
            description="A group result's member count"
            values={{ count: group.membersCount }}
          />
        </p>
      </div>
      <Kind>
        <FormattedMessage
          id="search.hit.group"
          defaultMessage="Group"
          description="Badge on a result that is a group"
        />
      </Kind>
    </Link>
  );
}

function Visibility({ visibility }: { visibility: SearchGroupHitFragment['visibility'] }) {
  switch (visibility) {
    case 'PUBLIC':
      return (
        <FormattedMessage
          id="search.hit.group.public"
          defaultMessage="Public group"
          description="A group result's visibility"
        />
      );
    case 'PRIVATE':
      return (
        <FormattedMessage
          id="search.hit.group.private"
          defaultMessage="Private group"
          description="A group result's visibility"
        />
      );
    case 'SECRET':
      return (
        <FormattedMessage
          id="search.hit.group.secret"
          defaultMessage="Secret group"
          description="A group result's visibility"
        />
      );
  }
}

function PostHit({ post, terms }: { post: SearchPostHitFragment; terms: string[] }) {
  const text = excerpt(plainText(post.body), terms);
  return (
    <Link to={`/posts/${post.id}`} className={card}>
      <Avatar name={post.author.displayName} url={post.author.profile.avatarUrl} />
      <div className="min-w-0 flex-1 break-words">
        <p className="text-sm text-stone-700">
          <span className="font-semibold text-stone-900">
            <Marked text={post.author.displayName} terms={terms} />
          </span>
          {post.group && (
            <>
              {' › '}
              <Marked text={post.group.name} terms={terms} />
            </>
          )}
          {' · '}
          <Time value={post.createdAt} />
        </p>
        <p className="mt-1 text-stone-900">
          <Marked text={text} terms={terms} />
        </p>
      </div>
      <Kind>
        <FormattedMessage
          id="search.hit.post"
          defaultMessage="Post"
          description="Badge on a result that is a post"
        />
      </Kind>
    </Link>
  );
}
