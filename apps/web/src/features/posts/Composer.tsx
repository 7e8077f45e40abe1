import { useMutation } from '@apollo/client/react';
import { useEffect, useId, useState, type DragEvent, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useViewer } from '../../app';
import { CreatePostDocument, type PostCardFieldsFragment } from '../../gql/graphql';
import { Button, fieldProblem, Problems, problemsOf, Tab, TabList, TabPanel, Tabs } from '../../ui';
import { AudiencePicker, audienceInput, defaultAudience, type AudienceChoice } from './Audience';
import { MentionField } from './MentionField';
import { QuietMentions } from './QuietMentions';
import { RichText } from './RichText';
import { UploadZone, useUploads } from './Uploads';

/** Markdown → sanitized HTML, with marked and DOMPurify loaded only when a preview is asked. */
function usePreview(body: string, active: boolean): string | null {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    if (!active) return;
    let live = true;
    void Promise.all([import('marked'), import('dompurify')]).then(
      ([{ marked }, { default: purify }]) => {
        const raw = marked.parse(body, { gfm: true, breaks: true, async: false });
        if (live) setHtml(purify.sanitize(raw));
      },
    );
    return () => {
      live = false;
    };
  }, [body, active]);
  return active ? html : null;
}

/**
 * Writes a post: in a group (groupId), on someone's wall (wallOwnerId), or on the viewer's own
 * wall for the audience they pick. Markdown with a preview, @mentions and #hashtags suggested,
 * files uploaded as they are added, an optional poll. `onPosted` receives the new post.
 */
export function Composer({
  groupId,
  wallOwnerId,
  onPosted,
}: {
  groupId?: string;
  wallOwnerId?: string;
  onPosted?: (post: PostCardFieldsFragment) => void;
}) {
  const intl = useIntl();
  const viewer = useViewer();
  const id = useId();
  const [body, setBody] = useState('');
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const [audience, setAudience] = useState<AudienceChoice>(() =>
    defaultAudience(viewer.role, groupId),
  );
  const [poll, setPoll] = useState<{ options: string[]; multipleChoice: boolean } | null>(null);
  const [posted, setPosted] = useState(0);
  const [announce, setAnnounce] = useState(false);
  const mayAnnounce = viewer.role === 'ADMIN' && !groupId && !wallOwnerId;
  const uploads = useUploads();
  const preview = usePreview(body, mode === 'preview');
  const [create, { loading, error, reset }] = useMutation(CreatePostDocument);
  const problems = problemsOf(error);
  useEffect(() => setAudience(defaultAudience(viewer.role, groupId)), [groupId, viewer.role]);

  const pollOptions = poll?.options.map((o) => o.trim()).filter(Boolean) ?? [];
  const emptyCustom =
    audience.kind === 'CUSTOM' && !audience.users.length && !audience.groups.length;
  const ready =
    !!body.trim() && !uploads.busy && !emptyCustom && (!poll || pollOptions.length >= 2);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    const { data } = await create({
      variables: {
        input: {
          body,
          audience: audienceInput(audience),
          wallOwnerId,
          isAnnouncement: mayAnnounce && announce ? true : undefined,
          attachmentIds: uploads.ids.length ? uploads.ids : undefined,
          poll: poll ? { options: pollOptions, multipleChoice: poll.multipleChoice } : undefined,
        },
      },
    }).catch(() => ({ data: undefined }));
    if (data) {
      setBody('');
      setPoll(null);
      setAnnounce(false);
      setMode('write');
      uploads.clear();
      setPosted((n) => n + 1);
      onPosted?.(data.createPost);
    }
  };
  const onDrop = (e: DragEvent) => {
    if (!e.dataTransfer.files.length) return;
    e.preventDefault();
    uploads.add(e.dataTransfer.files);
  };
  return (
    <form
      onSubmit={(e) => void submit(e)}
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
      aria-label={intl.formatMessage({
        id: 'posts.composer.form',
        defaultMessage: 'New post',
        description: 'Label of the composer form',
      })}
      className="mb-6 rounded-lg border border-stone-200 bg-white p-4"
    >
      <Problems problems={problems} fields={['body', 'options']} />
      <Tabs value={mode} onValueChange={(v) => setMode(v as 'write' | 'preview')}>
        <TabList
          className="mb-2"
          aria-label={intl.formatMessage({
            id: 'posts.composer.mode',
            defaultMessage: 'Write or preview',
            description: 'Label of the write/preview tabs',
          })}
        >
          <Tab value="write">
            <FormattedMessage
              id="posts.composer.write"
              defaultMessage="Write"
              description="Composer tab"
            />
          </Tab>
          <Tab value="preview">
            <FormattedMessage
              id="posts.composer.preview"
              defaultMessage="Preview"
              description="Composer tab"
            />
          </Tab>
        </TabList>
        <TabPanel value="write" className="outline-none">
          <MentionField
            label={
              <FormattedMessage
                id="posts.composer.label"
                defaultMessage="Write a post"
                description="Composer label"
              />
            }
            placeholder={intl.formatMessage({
              id: 'posts.composer.placeholder',
              defaultMessage: 'Share something with your colleagues…',
              description: 'Composer placeholder',
            })}
            value={body}
            onChange={(v) => {
              setBody(v);
              if (error) reset();
            }}
            describedBy={`${id}-md`}
            error={fieldProblem(problems, 'body')?.message}
          />
          <QuietMentions body={body} />
          <p id={`${id}-md`} className="mb-3 text-xs text-stone-600">
            <FormattedMessage
              id="posts.composer.markdown"
              defaultMessage="Markdown works: **bold**, _italic_, lists, links. @name mentions a colleague, #word adds a hashtag."
              description="Hint under the composer"
            />
          </p>
        </TabPanel>
        <TabPanel
          value="preview"
          className="mb-3 min-h-28 rounded-md border border-stone-200 bg-stone-50 p-3 outline-none focus-visible:outline-2 focus-visible:outline-amber-700"
        >
          {body.trim() ? (
            preview !== null && <RichText html={preview} />
          ) : (
            <p className="text-sm text-stone-600">
              <FormattedMessage
                id="posts.composer.nothing"
                defaultMessage="Nothing to preview yet."
                description="Preview of an empty post"
              />
            </p>
          )}
        </TabPanel>
      </Tabs>

      {poll && (
        <fieldset className="mb-3 rounded-md border border-stone-200 p-3">
          <legend className="px-1 text-sm font-medium text-stone-800">
            <FormattedMessage
              id="posts.composer.poll"
              defaultMessage="Poll: the post is the question"
              description="Legend of the poll editor"
            />
          </legend>
          {poll.options.map((o, i) => (
            <div key={i} className="mb-2 flex items-center gap-2">
              <label htmlFor={`${id}-opt-${i}`} className="w-24 shrink-0 text-sm text-stone-800">
                <FormattedMessage
                  id="posts.composer.option"
                  defaultMessage="Option {n}"
                  description="Label of a poll option field"
                  values={{ n: i + 1 }}
                />
              </label>
              <input
                id={`${id}-opt-${i}`}
                value={o}
                maxLength={200}
                onChange={(e) =>
                  setPoll({
                    ...poll,
                    options: poll.options.map((x, j) => (j === i ? e.target.value : x)),
                  })
                }
                className="min-w-0 flex-1 rounded-md border border-stone-400 bg-white px-3 py-2 text-base text-stone-900 focus:border-amber-700 focus:outline-2 focus:outline-amber-700"
              />
            </div>
          ))}
          {fieldProblem(problems, 'options') && (
            <p role="alert" className="mb-2 text-sm text-red-700">
              {fieldProblem(problems, 'options')?.message}
            </p>
          )}
          <div className="flex flex-wrap items-center gap-3">
            {poll.options.length < 10 && (
              <Button
                variant="ghost"
                onClick={() => setPoll({ ...poll, options: [...poll.options, ''] })}
              >
                <FormattedMessage
                  id="posts.composer.addOption"
                  defaultMessage="Add an option"
                  description="Poll editor button"
                />
              </Button>
            )}
            <label className="inline-flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="h-4 w-4 accent-amber-800"
                checked={poll.multipleChoice}
                onChange={(e) => setPoll({ ...poll, multipleChoice: e.target.checked })}
              />
              <FormattedMessage
                id="posts.composer.multiple"
                defaultMessage="Several choices allowed"
                description="Poll editor checkbox"
              />
            </label>
          </div>
        </fieldset>
      )}

      <div className="mb-3">
        <UploadZone uploads={uploads} />
      </div>

      {mayAnnounce && (
        <label className="mb-3 flex items-center gap-2 text-sm text-stone-800">
          <input
            type="checkbox"
            className="h-4 w-4 accent-amber-800"
            checked={announce}
            onChange={(e) => {
              setAnnounce(e.target.checked);
              if (e.target.checked) setAudience({ kind: 'NETWORK' });
            }}
          />
          <FormattedMessage
            id="posts.composer.announce"
            defaultMessage="An announcement: pinned at the top of the company feed, and everyone is told"
            description="Composer checkbox for network admins"
          />
        </label>
      )}

      <AudiencePicker
        value={audience}
        onChange={setAudience}
        fixedGroupId={groupId}
        onWall={!!wallOwnerId}
      />

      <div className="flex flex-wrap items-center justify-between gap-2">
        <Button
          variant="secondary"
          aria-pressed={!!poll}
          onClick={() => setPoll(poll ? null : { options: ['', ''], multipleChoice: false })}
        >
          {poll ? (
            <FormattedMessage
              id="posts.composer.removePoll"
              defaultMessage="Remove the poll"
              description="Composer button"
            />
          ) : (
            <FormattedMessage
              id="posts.composer.addPoll"
              defaultMessage="Add a poll"
              description="Composer button"
            />
          )}
        </Button>
        <span role="status" className="sr-only">
          {posted > 0 && (
            <FormattedMessage
              id="posts.composer.posted"
              defaultMessage="Your post is published."
              description="Announced after posting"
            />
          )}
        </span>
        <Button type="submit" busy={loading} disabled={!ready}>
          <FormattedMessage
            id="posts.composer.submit"
            defaultMessage="Post"
            description="Composer button"
          />
        </Button>
      </div>
    </form>
  );
}
