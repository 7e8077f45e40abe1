import { useMutation } from '@apollo/client/react';
import * as Popover from '@radix-ui/react-popover';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import {
  PostReactDocument,
  PostUnreactDocument,
  type PostReactionFieldsFragment,
} from '../../gql/graphql';
import { Problems, problemsOf } from '../../ui';

export const EMOJI = ['👍', '❤️', '🎉', '😄', '😮', '😢', '🙏', '🚀', '👀', '💡', '✅', '🔥'];

/**
 * The reactions under a post or a comment: one toggle per emoji with its count (pressed when
 * the viewer reacted), and a picker for another. The cache takes the API's new summary.
 */
export function Reactions({
  subject,
  reactions,
}: {
  subject: { __typename: 'Post' | 'Comment'; id: string };
  reactions: PostReactionFieldsFragment[];
}) {
  const intl = useIntl();
  const [open, setOpen] = useState(false);
  const options = {
    update(
      cache: import('@apollo/client').ApolloCache,
      result: { data?: { react?: unknown; unreact?: unknown } | null },
    ) {
      const next = result.data?.react ?? result.data?.unreact;
      if (next)
        cache.modify({
          id: cache.identify(subject),
          fields: { reactions: () => next as PostReactionFieldsFragment[] },
        });
    },
  };
  const [react, reacting] = useMutation(PostReactDocument, options);
  const [unreact, unreacting] = useMutation(PostUnreactDocument, options);
  const toggle = (emoji: string, mine: boolean) => {
    const variables = { subjectId: subject.id, emoji };
    void (mine ? unreact({ variables }) : react({ variables })).catch(() => undefined);
  };
  const shown = reactions.filter((r) => r.count > 0);
  return (
    <div className="flex flex-wrap items-center gap-1">
      <Problems problems={problemsOf(reacting.error ?? unreacting.error)} />
      {shown.map((r) => (
        <button
          key={r.emoji}
          type="button"
          aria-pressed={r.viewerReacted}
          onClick={() => toggle(r.emoji, r.viewerReacted)}
          aria-label={intl.formatMessage(
            {
              id: 'posts.reactions.toggle',
              defaultMessage:
                '{emoji} {count, plural, one {# reaction} other {# reactions}}{mine, select, yes {, including yours} other {}}',
              description: 'A reaction button: the emoji, its count, whether the viewer reacted',
            },
            { emoji: r.emoji, count: r.count, mine: r.viewerReacted ? 'yes' : 'no' },
          )}
          className={`inline-flex min-h-8 items-center gap-1 rounded-full border px-2 text-sm focus-visible:outline-2 focus-visible:outline-amber-700 ${
            r.viewerReacted
              ? 'border-amber-700 bg-amber-50 text-amber-950'
              : 'border-stone-300 bg-white text-stone-800 hover:bg-stone-100'
          }`}
        >
          <span aria-hidden="true">{r.emoji}</span>
          <span aria-hidden="true">{r.count}</span>
        </button>
      ))}
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger
          className="inline-flex min-h-8 items-center rounded-full border border-stone-300 bg-white px-2 text-sm text-stone-800 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-amber-700"
          aria-label={intl.formatMessage({
            id: 'posts.reactions.add',
            defaultMessage: 'Add a reaction',
            description: 'Opens the emoji picker',
          })}
        >
          <span aria-hidden="true">☺︎+</span>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content
            sideOffset={6}
            align="start"
            className="z-50 rounded-md border border-stone-200 bg-white p-2 shadow-lg"
          >
            <p className="mb-1 text-xs text-stone-600">
              <FormattedMessage
                id="posts.reactions.pick"
                defaultMessage="React with"
                description="Title of the emoji picker"
              />
            </p>
            <div className="grid grid-cols-6 gap-1">
              {EMOJI.map((emoji) => {
                const mine = reactions.some((r) => r.emoji === emoji && r.viewerReacted);
                return (
                  <button
                    key={emoji}
                    type="button"
                    aria-pressed={mine}
                    className={`h-9 w-9 rounded text-xl hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-amber-700 ${mine ? 'bg-amber-100' : ''}`}
                    onClick={() => {
                      toggle(emoji, mine);
                      setOpen(false);
                    }}
                  >
                    {emoji}
                  </button>
                );
              })}
            </div>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
    </div>
  );
}
