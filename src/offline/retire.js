/* hpskb serve: the preview registers no service worker. A browser that kept one from a
   build of the site served earlier on this address fetches this file when it checks for
   an update: it replaces that worker, deletes the copies it saved and unregisters itself,
   so that the preview shows what the author edits. */
'use strict';

self.addEventListener('install', function () { self.skipWaiting(); });

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys()
    .then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf('hpskb ') === 0; })
        .map(function (k) { return caches.delete(k); }));
    })
    .then(function () { return self.registration.unregister(); }));
});
