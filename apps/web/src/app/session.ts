/**
 * The browser's session: the access token in memory only; the refresh token in the httpOnly
 * cookie the API sets (X-Ruche-Session: cookie). Refreshes ahead of expiry and after an
 * UNAUTHENTICATED answer, once; a refused refresh signs out.
 */
export interface SessionUser {
  id: string;
  handle: string;
  displayName: string;
  role: 'MEMBER' | 'ADMIN' | 'GUEST';
  status: 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'DEACTIVATED';
  locale: string;
  timezone: string;
}

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'signed-out'; reason?: 'expired' | 'signed-out' }
  | { kind: 'signed-in'; user: SessionUser };

export const SESSION_HEADERS = { 'x-ruche-session': 'cookie' } as const;

const USER_FIELDS = 'id handle displayName role status profile { locale timezone }';
export const AUTH_FIELDS = `accessToken expiresIn user { ${USER_FIELDS} }`;

interface AuthPayload {
  accessToken: string;
  expiresIn: number;
  user: Omit<SessionUser, 'locale' | 'timezone'> & {
    profile: { locale: string; timezone: string };
  };
}

let accessToken: string | null = null;
let state: SessionState = { kind: 'loading' };
let timer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

function set(next: SessionState) {
  state = next;
  for (const l of listeners) l();
}

export const session = {
  get: () => state,
  token: () => accessToken,
  subscribe: (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Takes an AuthPayload from signIn, signUp or refreshSession. */
  accept(payload: AuthPayload) {
    accessToken = payload.accessToken;
    const { profile, ...user } = payload.user;
    set({
      kind: 'signed-in',
      user: { ...user, locale: profile.locale, timezone: profile.timezone },
    });
    clearTimeout(timer);
    // A minute before expiry (never sooner than in 10 s).
    timer = setTimeout(() => void session.refresh(), Math.max(10, payload.expiresIn - 60) * 1000);
  },
  /** The viewer changed (profile edited, address verified). */
  update(patch: Partial<SessionUser>) {
    if (state.kind === 'signed-in') set({ kind: 'signed-in', user: { ...state.user, ...patch } });
  },
  /** Asks the API for a new access token from the cookie; false when there is no session. */
  refresh(): Promise<boolean> {
    refreshing ??= (async () => {
      try {
        const res = await post(
          `mutation Refresh { refreshSession(refreshToken: "") { ${AUTH_FIELDS} } }`,
        );
        const payload = res.data?.refreshSession as AuthPayload | undefined;
        if (!payload) {
          session.drop(state.kind === 'signed-in' ? 'expired' : undefined);
          return false;
        }
        session.accept(payload);
        return true;
      } catch {
        // The API is unreachable: keep what we have, try again on the next request.
        if (state.kind === 'loading') set({ kind: 'signed-out' });
        return false;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  },
  drop(reason?: 'expired' | 'signed-out') {
    accessToken = null;
    clearTimeout(timer);
    set({ kind: 'signed-out', reason });
  },
  async signOut() {
    try {
      await post('mutation SignOut { signOut }');
    } finally {
      session.drop('signed-out');
    }
  },
};

interface RawResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post(query: string): Promise<RawResult> {
  const res = await sessionFetch(
    '/graphql',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    },
    false,
  );
  return (await res.json()) as RawResult;
}

/** Sent on window when the API answers CHARTER_REQUIRED: the app shows the charter. */
export const CHARTER_REQUIRED_EVENT = 'ruche:charter-required';

/** fetch for the API: the session headers and token, and one refresh-and-retry on UNAUTHENTICATED. */
export async function sessionFetch(
  input: RequestInfo | URL,
  init: RequestInit = {},
  retry = true,
): Promise<Response> {
  const send = () => {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(SESSION_HEADERS)) headers.set(k, v);
    if (accessToken) headers.set('authorization', `Bearer ${accessToken}`);
    return fetch(input, { ...init, headers, credentials: 'same-origin' });
  };
  const sentWith = accessToken;
  const res = await send();
  if (!retry || !sentWith || !res.headers.get('content-type')?.includes('json')) return res;
  const text = await res.text();
  const rebuilt = () =>
    new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  if (text.includes('"CHARTER_REQUIRED"')) window.dispatchEvent(new Event(CHARTER_REQUIRED_EVENT));
  if (!text.includes('"UNAUTHENTICATED"')) return rebuilt();
  // The token expired or the session was revoked (sign-out elsewhere, suspension).
  if (accessToken === sentWith) await session.refresh();
  return accessToken && accessToken !== sentWith ? send() : rebuilt();
}
