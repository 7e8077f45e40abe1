import { useQuery } from '@apollo/client/react';
import { GroupByRefDocument, type GroupPageFieldsFragment } from '../../gql/graphql';
import { refVariables } from './words';

/**
 * The group an address names: by slug, and by id when the ref looks like one (email links carry
 * ids). `group` is null when the viewer may not see it — the same as a wrong address.
 */
export function useGroup(ref: string): {
  group: GroupPageFieldsFragment | null;
  loading: boolean;
  error: unknown;
} {
  const vars = refVariables(ref);
  const bySlug = useQuery(GroupByRefDocument, { variables: { slug: ref.toLowerCase() } });
  const byId = useQuery(GroupByRefDocument, {
    variables: { id: 'id' in vars ? vars.id : '' },
    skip: !('id' in vars),
  });
  const group = bySlug.data?.group ?? byId.data?.group ?? null;
  const loading = !group && (bySlug.loading || byId.loading);
  return { group, loading, error: group ? undefined : (bySlug.error ?? byId.error) };
}
