import type { Reference } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import {
  PostDeleteDocument,
  PostUpdateDocument,
  type PostCardFieldsFragment,
} from '../../gql/graphql';
import {
  Avatar,
  Button,
  Confirm,
  fieldProblem,
  Problems,
  problemsOf,
  TextArea,
  Time,
} from '../../ui';
import { Attachments } from './Attachments';
import { Comments } from './Comments';
import { EditedMark } from './History';
import { Poll } from './Poll';
import { Reactions } from './Reactions';
import { RichText } from './RichText';

function EditForm({ post, onDone }: { post: PostCardFieldsFragment; onDone: () => void }) {
  const [body, setBody] = useState(post.body);
  const [update, { loading, error }] = useMutation(PostUpdateDocument);
  const problems = problemsOf(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await update({ variables: { id: post.id, body } }).catch(() => null);
    if (ok?.data) onDone();
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Problems problems={problems} fields={['body']} />
      <TextArea
        label={
          <FormattedMessage
            id="posts.edit.label"
            defaultMessage="Edit your post"
            description="Label of the field editing a post"
          />
        }
        value={body}
        autoFocus
        onChange={(e) => setBody(e.target.value)}
        error={fieldProblem(problems, 'body')?.message}
      />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          <FormattedMessage
            id="posts.edit.cancel"
            defaultMessage="Cancel"
            description="Stops editing"
          />
        </Button>
        <Button type="submit" busy={loading} disabled={!body.trim()}>
          <FormattedMessage
            id="posts.edit.save"
            defaultMessage="Save"
            description="Saves an edit"
          />
        </Button>
      </div>
    </form>
  );
}

const action =
  'inline-flex min-h-8 items-center rounded px-2 text-sm text-stone-700 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-amber-700';

/**
 * One post as lists draw it (feeds, walls, a group, search): author, place, body with links to
 * mentions and hashtags, files, poll, reactions, comments; edit and delete for those allowed.
 * bodyHtml is sanitized by the API.
 */
export function PostCard({
  post,
  commentsOpen = false,
  onDeleted,
}: {
  post: PostCardFieldsFragment;
  /** The post's own page shows its comments at once. */
  commentsOpen?: boolean;
  onDeleted?: () => void;
}) {
  const intl = useIntl();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [showComments, setShowComments] = useState(commentsOpen);
  const [remove, removing] = useMutation(PostDeleteDocument, {
    update(cache, { data }) {
      if (!data?.deletePost) return;
      const id = cache.identify({ __typename: 'Post', id: post.id });
      // The home feed's activities point at posts: drop those about this one.
      cache.modify({
        fields: {
          homeFeed(value, { readField }) {
            const existing = value as { edges?: { node: Reference }[] } | undefined;
            if (!existing?.edges) return existing as never;
            return {
              ...existing,
              edges: existing.edges.filter((e) => {
                const node = readField<Reference | null>('post', e.node);
                return !node || node.__ref !== id;
              }),
            } as never;
          },
        },
      });
      cache.evict({ id });
      cache.gc();
    },
  });
  const edited = post.editedAt;
  return (
    <article
      aria-labelledby={`post-${post.id}-author`}
      className="mb-4 rounded-lg border border-stone-200 bg-white p-4"
    >
      <header className="mb-2 flex items-start gap-3">
        <Avatar name={post.author.displayName} url={post.author.profile.avatarUrl} />
        <div className="min-w-0 flex-1 text-sm">
          <Link
            id={`post-${post.id}-author`}
            to={`/people/${post.author.handle}`}
            className="font-semibold text-stone-900 hover:underline"
          >
            {post.author.displayName}
          </Link>
          {post.group && (
            <>
              {' › '}
              <Link to={`/groups/${post.group.slug}`} className="text-stone-800 hover:underline">
                {post.group.name}
              </Link>
            </>
          )}
          {post.wallOwner && post.wallOwner.id !== post.author.id && (
            <>
              {' › '}
              <Link
                to={`/people/${post.wallOwner.handle}`}
                className="text-stone-800 hover:underline"
              >
                {post.wallOwner.displayName}
              </Link>
            </>
          )}
          <div className="text-stone-600">
            <Link to={`/posts/${post.id}`} className="hover:underline">
              <Time value={post.createdAt} />
            </Link>
            {edited && (
              <>
                {' · '}
                <EditedMark postId={post.id} editedAt={edited} />
              </>
            )}
          </div>
        </div>
        {(post.isAnnouncement || post.pinned) && (
          <span className="shrink-0 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-950">
            {post.isAnnouncement ? (
              <FormattedMessage
                id="posts.announcement"
                defaultMessage="Announcement"
                description="Badge of an announcement"
              />
            ) : (
              <FormattedMessage
                id="posts.pinned"
                defaultMessage="Pinned"
                description="Badge of a pinned post"
              />
            )}
          </span>
        )}
      </header>
      {editing ? (
        <EditForm post={post} onDone={() => setEditing(false)} />
      ) : (
        <RichText
          html={post.bodyHtml}
          mentions={post.mentions.map((m) => m.handle)}
          hashtags={post.hashtags}
        />
      )}
      <Attachments files={post.attachments} />
      {post.poll && <Poll postId={post.id} poll={post.poll} />}
      <footer className="mt-3 flex flex-wrap items-center gap-2 border-t border-stone-100 pt-2">
        <Reactions subject={{ __typename: 'Post', id: post.id }} reactions={post.reactions} />
        <button
          type="button"
          className={action}
          aria-expanded={showComments}
          onClick={() => setShowComments(!showComments)}
        >
          {post.commentsCount === 0 ? (
            <FormattedMessage
              id="posts.comments.none"
              defaultMessage="Comment"
              description="Opens the comments of a post that has none"
            />
          ) : (
            <FormattedMessage
              id="posts.comments.toggle"
              defaultMessage="{count, plural, one {# comment} other {# comments}}"
              description="Shows or hides a post's comments, with their count"
              values={{ count: post.commentsCount }}
            />
          )}
        </button>
        <span className="ml-auto flex gap-1">
          {post.viewerCanEdit && !editing && (
            <button type="button" className={action} onClick={() => setEditing(true)}>
              <FormattedMessage id="posts.edit" defaultMessage="Edit" description="Edits a post" />
            </button>
          )}
          {post.viewerCanDelete && (
            <button type="button" className={action} onClick={() => setConfirming(true)}>
              <FormattedMessage
                id="posts.delete"
                defaultMessage="Delete"
                description="Deletes a post"
              />
            </button>
          )}
        </span>
      </footer>
      <Problems problems={problemsOf(removing.error)} />
      {showComments && <Comments postId={post.id} canComment={post.viewerCanComment} />}
      <Confirm
        open={confirming}
        onOpenChange={setConfirming}
        title={intl.formatMessage({
          id: 'posts.delete.title',
          defaultMessage: 'Delete this post?',
          description: 'Title of the delete confirmation',
        })}
        description={
          <FormattedMessage
            id="posts.delete.body"
            defaultMessage="Its comments, reactions and files go with it. This cannot be undone."
            description="What deleting a post does"
          />
        }
        confirm={
          <FormattedMessage
            id="posts.delete.confirm"
            defaultMessage="Delete"
            description="Confirms the deletion"
          />
        }
        busy={removing.loading}
        onConfirm={() =>
          void remove({ variables: { id: post.id } })
            .then((r) => {
              setConfirming(false);
              if (r.data?.deletePost) onDeleted?.();
            })
            .catch(() => setConfirming(false))
        }
      />
    </article>
  );
}
