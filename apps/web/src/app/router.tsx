import { lazy, Suspense, useEffect } from 'react';
import {
  createBrowserRouter,
  Navigate,
  Outlet,
  useLocation,
  useNavigate,
  type RouteObject,
} from 'react-router';
import { NotFound } from '../ui';
import type { FeatureRoutes } from './routes';
import { CHARTER_REQUIRED_EVENT } from './session';
import { useSession } from './useSession';

const features = Object.values(
  import.meta.glob<FeatureRoutes>('../features/*/routes.tsx', { eager: true }),
);

// The shell (its menus, Radix) is a chunk of its own: signed-out pages never fetch it.
const loadShell = () => import('./Shell');
const Shell = lazy(() => loadShell().then((m) => ({ default: m.Shell })));

function Splash() {
  return (
    <div role="status" aria-live="polite" className="p-8 text-center text-stone-600">
      Ruche…
    </div>
  );
}

/** Members' pages: signed in and ACTIVE, else to sign-in (back here after) or the pending page. */
function RequireMember() {
  const state = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  // A charter to accept (a new version may come while reading): to it, then back here.
  useEffect(() => {
    const toCharter = () =>
      void navigate(`/charter?next=${encodeURIComponent(location.pathname + location.search)}`);
    window.addEventListener(CHARTER_REQUIRED_EVENT, toCharter);
    return () => window.removeEventListener(CHARTER_REQUIRED_EVENT, toCharter);
  }, [navigate, location.pathname, location.search]);
  if (state.kind === 'loading') {
    void loadShell(); // fetched while the session refreshes
    return <Splash />;
  }
  if (state.kind === 'signed-out') {
    const next = encodeURIComponent(location.pathname + location.search);
    const reason = state.reason ? `&reason=${state.reason}` : '';
    return <Navigate to={`/sign-in?next=${next}${reason}`} replace />;
  }
  if (state.user.status === 'PENDING') return <Navigate to="/pending" replace />;
  return (
    <Suspense fallback={<Splash />}>
      <Shell />
    </Suspense>
  );
}

function PublicLayout() {
  const state = useSession();
  if (state.kind === 'loading') return <Splash />;
  return (
    <main id="main" className="min-h-screen bg-stone-50">
      <Outlet />
    </main>
  );
}

const routes: RouteObject[] = [
  { element: <PublicLayout />, children: features.flatMap((f) => f.publicRoutes ?? []) },
  {
    element: <RequireMember />,
    children: [...features.flatMap((f) => f.routes ?? []), { path: '*', element: <NotFound /> }],
  },
];

export const router = createBrowserRouter(routes);
