import { useQuery } from '@apollo/client/react';
import { PostQuietPersonDocument } from '../../gql/graphql';
import { QuietHoursNotice } from '../notifications';
import { mentionedHandles } from './mentions';

function QuietPerson({ handle }: { handle: string }) {
  const person = useQuery(PostQuietPersonDocument, { variables: { handle } }).data?.user;
  return person ? (
    <QuietHoursNotice until={person.quietHoursUntil} name={person.displayName} />
  ) : null;
}

/** In the composer: who among the people mentioned is in quiet hours, and when they will be told. */
export function QuietMentions({ body }: { body: string }) {
  const handles = mentionedHandles(body);
  if (!handles.length) return null;
  return (
    <div aria-live="polite" className="mb-3 flex flex-col gap-2">
      {handles.map((h) => (
        <QuietPerson key={h} handle={h} />
      ))}
    </div>
  );
}
