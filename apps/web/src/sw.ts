/// <reference lib="webworker" />
// The service worker: precaches the app's files and shows web pushes (payload: type, title, url).
import { precacheAndRoute } from 'workbox-precaching';

declare const self: ServiceWorkerGlobalScope;
precacheAndRoute(self.__WB_MANIFEST);

self.addEventListener('push', (event) => {
  const data = (event.data?.json() ?? {}) as {
    title?: string;
    body?: string;
    url?: string;
    link?: string;
  };
  event.waitUntil(
    self.registration.showNotification(data.title ?? 'Ruche', {
      body: data.body,
      icon: '/icon.svg',
      data: { url: data.url ?? data.link ?? '/' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data as { url?: string } | undefined)?.url ?? '/';
  event.waitUntil(self.clients.openWindow(url));
});
