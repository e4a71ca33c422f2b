/* Service worker of the field app: the shell, the province overview and the member's area
 * are answered from the phone's cache, so the app opens with no network. Reports are not
 * sent from here: the page keeps them in its IndexedDB outbox and sends them itself. */
"use strict";
const VERSION = "__VERSION__";
const SHELL = __SHELL__;
const CACHE = "phang-field-" + VERSION;
const AREAS = "phang-field-areas";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("phang-field-") && k !== CACHE && k !== AREAS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function refresh(request, key, cacheName) {
  return fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(cacheName).then((c) => c.put(key, copy));
    }
    return response;
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/field")) {
    // the page from the cache at once; a fresh copy is fetched for next time
    event.respondWith(
      caches.match("/field/").then((hit) => {
        const fresh = refresh(request, "/field/", CACHE);
        if (hit) { event.waitUntil(fresh.catch(() => null)); return hit; }
        return fresh;
      })
    );
    return;
  }
  if (url.pathname.startsWith("/field/api/area/")) {
    event.respondWith(caches.match(request).then((hit) => hit || refresh(request, request, AREAS)));
    return;
  }
  if (SHELL.includes(url.pathname + url.search)) {
    event.respondWith(caches.match(request).then((hit) => hit || refresh(request, request, CACHE)));
  }
});
