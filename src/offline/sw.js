/* hpskb service worker: keeps the site readable without a network.
   Pages: network first (a reader online always gets the current version), the saved copy
   when the network fails. Everything else: the saved copy first. Each build's files live
   in one cache named after the build's VERSION; installing a new build's worker saves its
   files and removes the older caches. VERSION, SCOPE, LANG and PRECACHE are set above. */
'use strict';

var CACHE = 'hpskb-' + VERSION;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE)
    .then(function (cache) { return cache.addAll(PRECACHE); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys()
    .then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf('hpskb-') === 0 && k !== CACHE; })
        .map(function (k) { return caches.delete(k); }));
    })
    .then(function () { return self.clients.claim(); }));
});

function saved(request) {
  return caches.open(CACHE).then(function (cache) { return cache.match(request, { ignoreSearch: true }); });
}

function save(request, response) {
  if (response.ok && response.type === 'basic') {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
  }
  return response;
}

function notSaved() {
  var html = '<!DOCTYPE html><html lang="' + LANG + '"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline</title></head>' +
    '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5">' +
    '<h1>You are offline</h1><p>This page is not saved on this device. The home page, the ' +
    'calculators and the pages you have opened before can be read offline.</p>' +
    '<p><a href="' + SCOPE + '">Home</a></p></body></html>';
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.indexOf(SCOPE) !== 0) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request)
      .then(function (response) { return save(request, response); })
      .catch(function () { return saved(request).then(function (hit) { return hit || notSaved(); }); }));
  } else {
    event.respondWith(saved(request).then(function (hit) {
      return hit || fetch(request).then(function (response) { return save(request, response); });
    }));
  }
});
