import { useSyncExternalStore } from 'react';
import { session, type SessionState, type SessionUser } from './session';

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get);
}

/** The signed-in member (inside the shell, where there always is one). */
export function useViewer(): SessionUser {
  const state = useSession();
  if (state.kind !== 'signed-in') throw new Error('useViewer outside a signed-in page');
  return state.user;
}
