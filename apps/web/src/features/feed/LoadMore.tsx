import { useEffect, useRef } from 'react';
import { FormattedMessage } from 'react-intl';
import { Button } from '../../ui';

/**
 * The end of a list: loads the next page when it scrolls into view (IntersectionObserver), with
 * a button for keyboards, screen readers and browsers without the observer.
 */
export function LoadMore({
  hasMore,
  loading,
  onMore,
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  const latest = useRef({ loading, onMore });
  latest.current = { loading, onMore };
  useEffect(() => {
    const el = sentinel.current;
    if (!hasMore || loading || !el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !latest.current.loading)
          latest.current.onMore();
      },
      { rootMargin: '600px 0px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
    // Observed again after each page: still in view means load the next one.
  }, [hasMore, loading]);
  if (!hasMore) return null;
  return (
    <div ref={sentinel} className="my-4 flex justify-center">
      <Button variant="secondary" busy={loading} onClick={onMore}>
        <FormattedMessage
          id="feed.more"
          defaultMessage="Load more"
          description="Loads the next page of a feed"
        />
      </Button>
    </div>
  );
}
