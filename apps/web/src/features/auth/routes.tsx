import { page, type FeatureRoutes } from '../../app';

/** Accounts: the pages anyone reaches signed out (the links in emails land here). */
export const { publicRoutes }: FeatureRoutes = {
  publicRoutes: [
    { path: '/sign-in', lazy: page(() => import('./SignInPage'), 'SignInPage') },
    { path: '/sign-up', lazy: page(() => import('./SignUpPage'), 'SignUpPage') },
    { path: '/join', lazy: page(() => import('./SignUpPage'), 'SignUpPage') },
    { path: '/verify-email', lazy: page(() => import('./VerifyEmailPage'), 'VerifyEmailPage') },
    { path: '/pending', lazy: page(() => import('./PendingPage'), 'PendingPage') },
    { path: '/forgot-password', lazy: page(() => import('./PasswordPages'), 'ForgotPasswordPage') },
    { path: '/reset-password', lazy: page(() => import('./PasswordPages'), 'ResetPasswordPage') },
  ],
};
