import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { CreatePostDocument, type PostCardFieldsFragment } from '../../gql/graphql';
import { Button, fieldProblem, problemsOf, Problems, TextArea } from '../../ui';

/**
 * Writes a post: in a group (groupId), on someone's wall (wallOwnerId), or on the viewer's own
 * wall for the network. `onPosted` receives the new post.
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
  const [body, setBody] = useState('');
  const [create, { loading, error }] = useMutation(CreatePostDocument);
  const problems = problemsOf(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const audience = groupId ? { kind: 'GROUP' as const, groupId } : { kind: 'NETWORK' as const };
    const { data } = await create({ variables: { input: { body, audience, wallOwnerId } } }).catch(
      () => ({
        data: undefined,
      }),
    );
    if (data) {
      setBody('');
      onPosted?.(data.createPost);
    }
  };
  return (
    <form
      onSubmit={(e) => void submit(e)}
      className="mb-6 rounded-lg border border-stone-200 bg-white p-4"
    >
      <Problems problems={problems} fields={['body']} />
      <TextArea
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
        onChange={(e) => setBody(e.target.value)}
        error={fieldProblem(problems, 'body')?.message}
      />
      <div className="flex justify-end">
        <Button type="submit" busy={loading} disabled={!body.trim()}>
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
