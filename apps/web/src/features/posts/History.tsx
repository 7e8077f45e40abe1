import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { PostHistoryDocument } from '../../gql/graphql';
import { Button, Dialog, Problems, problemsOf, Skeleton, Time } from '../../ui';
import { RichText } from './RichText';

function Versions({ postId }: { postId: string }) {
  const { data, loading, error } = useQuery(PostHistoryDocument, {
    variables: { id: postId },
    fetchPolicy: 'network-only',
  });
  if (loading && !data) return <Skeleton rows={1} />;
  const post = data?.post;
  if (!post) return <Problems problems={problemsOf(error)} />;
  const older = [...post.revisions].reverse();
  return (
    <ol className="space-y-3">
      <li className="rounded-md border border-amber-200 bg-amber-50 p-3">
        <p className="mb-1 text-xs font-medium text-stone-700">
          <FormattedMessage
            id="posts.history.current"
            defaultMessage="Current version"
            description="The post as it is now, in its edit history"
          />
          {post.editedAt && (
            <>
              {' · '}
              <Time value={post.editedAt} />
            </>
          )}
        </p>
        <RichText html={post.bodyHtml} className="text-sm" />
      </li>
      {older.map((r, i) => (
        <li key={i} className="rounded-md border border-stone-200 p-3">
          <p className="mb-1 text-xs font-medium text-stone-700">
            <FormattedMessage
              id="posts.history.replaced"
              defaultMessage="Replaced {when}"
              description="An earlier version of a post, with when it was replaced"
              values={{ when: <Time value={r.replacedAt} /> }}
            />
          </p>
          <RichText html={r.bodyHtml} className="text-sm" />
        </li>
      ))}
    </ol>
  );
}

/** "edited 5 minutes ago", a button that opens the post's earlier versions. */
export function EditedMark({ postId, editedAt }: { postId: string; editedAt: string }) {
  const intl = useIntl();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded underline decoration-dotted hover:text-stone-900 focus-visible:outline-2 focus-visible:outline-amber-700"
        aria-haspopup="dialog"
      >
        <FormattedMessage
          id="posts.editedAt"
          defaultMessage="edited {when}"
          description="Marks an edited post, with when; opens its history"
          values={{ when: <Time value={editedAt} /> }}
        />
      </button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={intl.formatMessage({
          id: 'posts.history.title',
          defaultMessage: 'Edit history',
          description: 'Title of the dialog listing a post’s versions',
        })}
      >
        {open && <Versions postId={postId} />}
        <div className="mt-4 flex justify-end">
          <Button variant="secondary" onClick={() => setOpen(false)}>
            <FormattedMessage
              id="posts.history.close"
              defaultMessage="Close"
              description="Closes the edit history"
            />
          </Button>
        </div>
      </Dialog>
    </>
  );
}
