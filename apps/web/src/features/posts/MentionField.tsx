import { useApolloClient, useQuery } from '@apollo/client/react';
import { useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { PostMentionSuggestionsDocument } from '../../gql/graphql';
import { Avatar } from '../../ui';

/** The `@abc` or `#abc` being typed just before the caret, if any. */
function tokenAt(
  text: string,
  caret: number,
): { kind: '@' | '#'; word: string; start: number } | null {
  const before = text.slice(0, caret);
  const m = /(?:^|[^\p{L}\p{N}_.@#&/-])([@#])([\p{L}\p{M}\p{N}_.-]{1,30})$/u.exec(before);
  if (!m) return null;
  return { kind: m[1] as '@' | '#', word: m[2], start: caret - m[2].length - 1 };
}

interface Suggestion {
  key: string;
  insert: string;
  label: ReactNode;
}

/**
 * The composer's text area: typing `@ca` lists matching colleagues, `#fi` the hashtags already
 * seen; arrows move through the list (aria-activedescendant), Enter or Tab inserts, Escape closes.
 */
export function MentionField({
  label,
  value,
  onChange,
  placeholder,
  error,
  describedBy,
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  error?: string;
  describedBy?: string;
}) {
  const intl = useIntl();
  const id = useId();
  const listId = `${id}-list`;
  const ref = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [closedAt, setClosedAt] = useState<number | null>(null);
  const client = useApolloClient();
  const token = closedAt === caret ? null : tokenAt(value, caret);
  const mention = token?.kind === '@' && token.word.length >= 2 ? token.word : null;
  const { data, previousData } = useQuery(PostMentionSuggestionsDocument, {
    variables: { query: mention ?? '' },
    skip: !mention,
  });
  const suggestions: Suggestion[] = useMemo(() => {
    if (!token) return [];
    if (token.kind === '@') {
      const users = (data ?? previousData)?.users.nodes ?? [];
      return users.map((u) => ({
        key: u.id,
        insert: `@${u.handle}`,
        label: (
          <>
            <Avatar name={u.displayName} url={u.profile.avatarUrl} size={24} />
            <span className="font-medium">{u.displayName}</span>
            <span className="text-stone-600">@{u.handle}</span>
          </>
        ),
      }));
    }
    // Hashtags: those of the posts already in the cache.
    const seen = new Set<string>();
    const word = token.word.toLowerCase();
    for (const entry of Object.values(
      client.cache.extract() as Record<string, { __typename?: string; hashtags?: string[] }>,
    )) {
      if (entry?.__typename === 'Post')
        for (const t of entry.hashtags ?? []) if (t.startsWith(word) && t !== word) seen.add(t);
    }
    return [...seen].slice(0, 6).map((t) => ({ key: t, insert: `#${t}`, label: `#${t}` }));
  }, [token?.kind, token?.word, data, previousData, client]);
  const open = !!token && suggestions.length > 0;
  const current = Math.min(active, suggestions.length - 1);

  const insert = (s: Suggestion) => {
    if (!token) return;
    const next = `${value.slice(0, token.start)}${s.insert} ${value.slice(caret)}`;
    const at = token.start + s.insert.length + 1;
    onChange(next);
    setCaret(at);
    setActive(0);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(at, at);
    });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((current + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((current - 1 + suggestions.length) % suggestions.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      insert(suggestions[current]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setClosedAt(caret);
    }
  };
  const track = () => setCaret(ref.current?.selectionStart ?? value.length);
  const described = [error ? `${id}-error` : null, describedBy].filter(Boolean).join(' ');
  return (
    <div className="relative mb-2">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      <textarea
        ref={ref}
        id={id}
        value={value}
        placeholder={placeholder}
        onChange={(e) => {
          onChange(e.target.value);
          setCaret(e.target.selectionStart);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={track}
        onClick={track}
        onBlur={() => setTimeout(() => setClosedAt(caret), 150)}
        onFocus={() => setClosedAt(null)}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${current}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        className="mt-1 block min-h-28 w-full rounded-md border border-stone-400 bg-white px-3 py-2 text-base text-stone-900 focus:border-amber-700 focus:outline-2 focus:outline-amber-700 aria-[invalid=true]:border-red-700"
      />
      {open && (
        <ul
          id={listId}
          role="listbox"
          aria-label={
            token?.kind === '@'
              ? intl.formatMessage({
                  id: 'posts.composer.people',
                  defaultMessage: 'People to mention',
                  description: 'Label of the mention suggestions',
                })
              : intl.formatMessage({
                  id: 'posts.composer.hashtags',
                  defaultMessage: 'Hashtags',
                  description: 'Label of the hashtag suggestions',
                })
          }
          className="absolute right-0 left-0 z-20 mt-1 max-h-64 overflow-auto rounded-md border border-stone-200 bg-white py-1 shadow-lg"
        >
          {suggestions.map((s, i) => (
            <li
              key={s.key}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === current}
              onMouseDown={(e) => {
                e.preventDefault();
                insert(s);
              }}
              className={`flex cursor-pointer items-center gap-2 px-3 py-2 text-sm ${i === current ? 'bg-amber-100 text-amber-950' : 'text-stone-900'}`}
            >
              {s.label}
            </li>
          ))}
        </ul>
      )}
      <p className="sr-only" role="status">
        {open && (
          <FormattedMessage
            id="posts.composer.suggestions"
            defaultMessage="{count, plural, one {# suggestion} other {# suggestions}}, arrows to choose, Enter to insert"
            description="Announced when the mention or hashtag suggestions open"
            values={{ count: suggestions.length }}
          />
        )}
      </p>
      {error && (
        <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
