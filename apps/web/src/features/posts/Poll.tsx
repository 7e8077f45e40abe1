import { useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { FormattedMessage, FormattedNumber } from 'react-intl';
import { PostVoteDocument, type PostPollFieldsFragment } from '../../gql/graphql';
import { Button, Problems, problemsOf, Time } from '../../ui';

/** A post's poll: a vote while the viewer has not voted, and the results as bars with counts. */
export function Poll({ postId, poll }: { postId: string; poll: PostPollFieldsFragment }) {
  const id = useId();
  const [chosen, setChosen] = useState<string[]>([]);
  const [vote, { loading, error }] = useMutation(PostVoteDocument, {
    update(cache, { data }) {
      if (data)
        cache.modify({
          id: cache.identify({ __typename: 'Post', id: postId }),
          fields: { poll: () => data.votePoll },
        });
    },
  });
  const total = poll.options.reduce((n, o) => n + o.votes, 0);
  const voted = poll.options.some((o) => o.viewerVoted);
  const closed = !!poll.closesAt && new Date(poll.closesAt).getTime() < Date.now();
  const canVote = !voted && !closed;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen.length)
      void vote({ variables: { postId, optionIds: chosen } }).catch(() => undefined);
  };
  return (
    <form onSubmit={submit} className="my-3 rounded-md border border-stone-200 p-3">
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-stone-800">
          {poll.multipleChoice ? (
            <FormattedMessage
              id="posts.poll.legendMany"
              defaultMessage="Poll (several choices)"
              description="Legend of a multiple-choice poll"
            />
          ) : (
            <FormattedMessage
              id="posts.poll.legend"
              defaultMessage="Poll"
              description="Legend of a single-choice poll"
            />
          )}
        </legend>
        <ul className="space-y-2">
          {poll.options.map((o) => {
            const share = total ? o.votes / total : 0;
            return (
              <li key={o.id}>
                <div className="flex items-center justify-between gap-2 text-sm">
                  {canVote ? (
                    <label className="flex items-center gap-2">
                      <input
                        type={poll.multipleChoice ? 'checkbox' : 'radio'}
                        name={id}
                        value={o.id}
                        checked={chosen.includes(o.id)}
                        onChange={(e) =>
                          setChosen(
                            poll.multipleChoice
                              ? e.target.checked
                                ? [...chosen, o.id]
                                : chosen.filter((c) => c !== o.id)
                              : [o.id],
                          )
                        }
                        className="h-4 w-4 accent-amber-800"
                      />
                      {o.label}
                    </label>
                  ) : (
                    <span className={o.viewerVoted ? 'font-semibold' : ''}>
                      {o.label}
                      {o.viewerVoted && (
                        <FormattedMessage
                          id="posts.poll.yourVote"
                          defaultMessage=" (your vote)"
                          description="After the option the viewer chose"
                        />
                      )}
                    </span>
                  )}
                  <span className="shrink-0 text-stone-700">
                    <FormattedMessage
                      id="posts.poll.votes"
                      defaultMessage="{count, plural, one {# vote} other {# votes}}"
                      description="Votes for one option"
                      values={{ count: o.votes }}
                    />{' '}
                    (<FormattedNumber value={share} style="percent" />)
                  </span>
                </div>
                <div className="mt-1 h-2 w-full rounded bg-stone-100" aria-hidden="true">
                  <div
                    className="h-2 rounded bg-amber-700"
                    style={{ width: `${Math.round(share * 100)}%` }}
                  />
                </div>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <Problems problems={problemsOf(error)} />
      <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-sm text-stone-700">
        <span role="status">
          <FormattedMessage
            id="posts.poll.total"
            defaultMessage="{count, plural, one {# vote} other {# votes}} in all"
            description="Total votes of a poll"
            values={{ count: total }}
          />
          {poll.closesAt && (
            <>
              {' · '}
              <FormattedMessage
                id="posts.poll.closes"
                defaultMessage="closes {when}"
                description="When the poll closes"
                values={{ when: <Time value={poll.closesAt} /> }}
              />
            </>
          )}
        </span>
        {canVote && (
          <Button type="submit" variant="secondary" busy={loading} disabled={!chosen.length}>
            <FormattedMessage
              id="posts.poll.vote"
              defaultMessage="Vote"
              description="Poll button"
            />
          </Button>
        )}
      </div>
    </form>
  );
}
