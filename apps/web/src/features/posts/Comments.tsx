import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import {
  PostAddCommentDocument,
  PostCommentFieldsFragmentDoc,
  PostCommentsDocument,
  type PostCommentFieldsFragment,
} from '../../gql/graphql';
import { Avatar, Button, fieldProblem, Problems, problemsOf, Skeleton, Time } from '../../ui';
import { Reactions } from './Reactions';
import { RichText } from './RichText';

/** The form under a post (or a comment, for a reply). */
function CommentForm({
  postId,
  parentId,
  onDone,
  autoFocus,
}: {
  postId: string;
  parentId?: string;
  onDone?: () => void;
  autoFocus?: boolean;
}) {
  const intl = useIntl();
  const id = useId();
  const [body, setBody] = useState('');
  const [add, { loading, error }] = useMutation(PostAddCommentDocument, {
    update(cache, { data }) {
      if (!data) return;
      const ref = cache.writeFragment({
        fragment: PostCommentFieldsFragmentDoc,
        fragmentName: 'PostCommentFields',
        data: data.addComment,
      });
      cache.modify({
        id: cache.identify({ __typename: 'Post', id: postId }),
        fields: {
          comments(value) {
            const existing = value as { edges?: unknown[]; totalCount?: number } | undefined;
            if (!existing?.edges) return existing as never;
            return {
              ...existing,
              totalCount: (existing.totalCount ?? 0) + 1,
              edges: [...existing.edges, { __typename: 'CommentEdge', cursor: '', node: ref }],
            } as never;
          },
        },
      });
    },
  });
  const problems = problemsOf(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await add({ variables: { postId, body, parentId } }).catch(() => null);
    if (ok?.data) {
      setBody('');
      onDone?.();
    }
  };
  const label = parentId
    ? intl.formatMessage({
        id: 'posts.comments.replyLabel',
        defaultMessage: 'Your reply',
        description: 'Label of the reply field',
      })
    : intl.formatMessage({
        id: 'posts.comments.label',
        defaultMessage: 'Write a comment',
        description: 'Label of the comment field',
      });
  const problem = fieldProblem(problems, 'body');
  return (
    <form onSubmit={(e) => void submit(e)} className="mt-2 flex flex-col gap-2 sm:flex-row">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <textarea
        id={id}
        value={body}
        rows={1}
        placeholder={label}
        autoFocus={autoFocus}
        onChange={(e) => setBody(e.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
        className="min-h-10 flex-1 rounded-md border border-stone-400 bg-white px-3 py-2 text-sm text-stone-900 focus:border-amber-700 focus:outline-2 focus:outline-amber-700"
      />
      <Button type="submit" variant="secondary" busy={loading} disabled={!body.trim()}>
        {parentId ? (
          <FormattedMessage
            id="posts.comments.reply"
            defaultMessage="Send reply"
            description="Sends a reply"
          />
        ) : (
          <FormattedMessage
            id="posts.comments.send"
            defaultMessage="Send"
            description="Sends a comment"
          />
        )}
      </Button>
      {problem && (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
          {problem.message}
        </p>
      )}
      <Problems problems={problems} fields={['body']} />
    </form>
  );
}

function CommentItem({
  comment,
  postId,
  canReply,
  replies,
}: {
  comment: PostCommentFieldsFragment;
  postId: string;
  canReply: boolean;
  replies?: PostCommentFieldsFragment[];
}) {
  const [replying, setReplying] = useState(false);
  return (
    <li className="mt-3">
      <article aria-labelledby={`comment-${comment.id}-author`} className="flex gap-2">
        <Avatar
          name={comment.author.displayName}
          url={comment.author.profile.avatarUrl}
          size={32}
        />
        <div className="min-w-0 flex-1">
          <div className="rounded-md bg-stone-100 px-3 py-2">
            <div className="text-sm">
              <Link
                id={`comment-${comment.id}-author`}
                to={`/people/${comment.author.handle}`}
                className="font-semibold text-stone-900 hover:underline"
              >
                {comment.author.displayName}
              </Link>{' '}
              <span className="text-stone-600">
                <Time value={comment.createdAt} />
              </span>
            </div>
            <RichText
              html={comment.bodyHtml}
              mentions={comment.mentions.map((m) => m.handle)}
              className="text-sm"
            />
          </div>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <Reactions
              subject={{ __typename: 'Comment', id: comment.id }}
              reactions={comment.reactions}
            />
            {canReply && (
              <button
                type="button"
                className="min-h-8 rounded px-2 text-sm text-stone-700 hover:underline focus-visible:outline-2 focus-visible:outline-amber-700"
                aria-expanded={replying}
                onClick={() => setReplying(!replying)}
              >
                <FormattedMessage
                  id="posts.comments.replyTo"
                  defaultMessage="Reply"
                  description="Opens the reply form under a comment"
                />
              </button>
            )}
          </div>
          {replies && replies.length > 0 && (
            <ul className="border-l-2 border-stone-200 pl-3">
              {replies.map((r) => (
                <CommentItem key={r.id} comment={r} postId={postId} canReply={false} />
              ))}
            </ul>
          )}
          {replying && (
            <CommentForm
              postId={postId}
              parentId={comment.id}
              autoFocus
              onDone={() => setReplying(false)}
            />
          )}
        </div>
      </article>
    </li>
  );
}

/** A post's comments, one level of replies under each, and the form to add one. */
export function Comments({ postId, canComment }: { postId: string; canComment: boolean }) {
  const intl = useIntl();
  const { data, loading, error, fetchMore } = useQuery(PostCommentsDocument, {
    variables: { id: postId },
  });
  const connection = data?.post?.comments;
  const all = connection?.edges.map((e) => e.node) ?? [];
  const top = all.filter((c) => !c.parent);
  const repliesOf = (id: string) => all.filter((c) => c.parent?.id === id);
  return (
    <section
      aria-label={intl.formatMessage({
        id: 'posts.comments.region',
        defaultMessage: 'Comments',
        description: 'Label of the comments section of a post',
      })}
      className="mt-2"
    >
      {loading && !data && <Skeleton rows={1} />}
      <Problems problems={problemsOf(error)} />
      <ul>
        {top.map((c) => (
          <CommentItem
            key={c.id}
            comment={c}
            postId={postId}
            canReply={canComment}
            replies={repliesOf(c.id)}
          />
        ))}
      </ul>
      {connection?.pageInfo.hasNextPage && (
        <Button
          variant="ghost"
          onClick={() =>
            void fetchMore({ variables: { after: connection.pageInfo.endCursor } }).catch(
              () => undefined,
            )
          }
        >
          <FormattedMessage
            id="posts.comments.more"
            defaultMessage="Show more comments"
            description="Loads the next comments"
          />
        </Button>
      )}
      {canComment && <CommentForm postId={postId} />}
    </section>
  );
}
