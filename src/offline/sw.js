/* hpskb service worker: keeps the site readable without a network.
   Pages: network first (a reader online always gets the current version), the saved copy
   when the network fails or is slow. Everything else: the saved copy first. Each build's
   files live in one cache named after the site's SCOPE and the build's VERSION; a new
   build's worker saves its files and removes the site's older caches (not those of other
   sites on the same host). VERSION, SCOPE, LANG and PRECACHE are set above. */
'use strict';

var PREFIX = 'hpskb ' + SCOPE + ' ';
var CACHE = PREFIX + VERSION;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE)
    .then(function (cache) { return cache.addAll(PRECACHE); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys()
    .then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; })
        .map(function (k) { return caches.delete(k); }));
    })
    .then(function () { return self.clients.claim(); }));
});

function saved(request) {
  return caches.open(CACHE).then(function (cache) { return cache.match(request, { ignoreSearch: true }); });
}

function save(request, response) {
  // Whole same-origin answers only (not partial ones to range requests, nor errors).
  if (response.status === 200 && response.type === 'basic') {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { return cache.put(request, copy); }).catch(function () {});
  }
  return response;
}

function notSaved() {
  var html = '<!DOCTYPE html><html lang="' + LANG + '"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="color-scheme" content="light dark"><title>Offline</title></head>' +
    '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5">' +
    '<h1>You are offline</h1><p>This page is not saved on this device. The home page, the ' +
    'calculators and the pages you have opened before can be read offline.</p>' +
    '<p><a href="' + SCOPE + '">Home</a></p></body></html>';
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

/* How long a page waits for the network before the saved copy is shown: at the bedside
   the network is more often slow than gone. The network answer still refreshes the
   saved copy when it comes. */
var NETWORK_WAIT_MS = 4000;

/* Pages (by client id) that were given the saved copy: each page asks once, on load, so
   that it can say so (site.js). */
var givenSaved = {};

function page(event) {
  var request = event.request;
  var network = fetch(request).then(function (response) { return save(request, response); });
  event.waitUntil(network.catch(function () {}));
  var givenCopy = function (hit) {
    givenSaved[event.resultingClientId] = true;
    return hit;
  };
  var slow = new Promise(function (resolve) { setTimeout(resolve, NETWORK_WAIT_MS); })
    .then(function () { return saved(request); })
    .then(function (hit) { return hit ? { copy: hit } : network; });
  return Promise.race([network, slow])
    .then(function (r) { return r instanceof Response ? r : givenCopy(r.copy); })
    .catch(function () {
      return saved(request).then(function (hit) { return hit ? givenCopy(hit) : notSaved(); });
    });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.indexOf(SCOPE) !== 0) return;
  // Event streams (a live preview's reload channel, say) never end: never saved.
  if ((request.headers.get('Accept') || '').indexOf('text/event-stream') !== -1) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(event));
  } else {
    event.respondWith(saved(request).then(function (hit) {
      return hit || fetch(request).then(function (response) { return save(request, response); });
    }));
  }
});

self.addEventListener('message', function (event) {
  if (event.data !== 'given-saved-copy?' || !event.source || !event.ports[0]) return;
  event.ports[0].postMessage(givenSaved[event.source.id] === true);
  delete givenSaved[event.source.id];
});
