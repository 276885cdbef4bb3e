// AD Lab's service worker: after the first visit the whole site works offline (a lecture hall's network fails).
// It keeps the site's own files only: the page, and the files the page names (trunk's hashed names, so a new build
// brings new names). The page is fetched from the network first (a new build shows at once) and from the cache when
// the network fails; the hashed files come from the cache first, as they never change.
const CACHE = 'adlab-site';

// The page and every file it names (stylesheet, icon, JS glue, the wasm, LZMA-packed in release builds), stored together; files the page no longer
// names are dropped.
async function store(page) {
  const cache = await caches.open(CACHE);
  const html = await page.clone().text();
  const base = new URL('./', self.registration.scope);
  const named = new Set([...html.matchAll(/[\s=("']((?:\.{0,2}\/)?[\w\-./]+\.(?:css|js|wasm|lzma|svg|png))(?=[\s>"')])/g)]
    .map((m) => new URL(m[1], base).href));
  await Promise.all([...named].map(async (url) => {
    if (!(await cache.match(url))) {
      const r = await fetch(url, { cache: 'reload' });
      if (r.ok) await cache.put(url, r);
    }
  }));
  await cache.put(base.href, page);
  for (const req of await cache.keys()) {
    if (req.url !== base.href && !named.has(req.url)) await cache.delete(req);
  }
}

self.addEventListener('install', (e) => {
  e.waitUntil((async () => {
    const page = await fetch(new URL('./', self.registration.scope), { cache: 'reload' });
    if (page.ok) await store(page);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    e.respondWith((async () => {
      try {
        const page = await fetch(req);
        if (page.ok) e.waitUntil(store(page.clone()));
        return page;
      } catch {
        const cached = await caches.match(new URL('./', self.registration.scope).href);
        return cached || Response.error();
      }
    })());
    return;
  }
  e.respondWith((async () => (await caches.match(req.url)) || fetch(req))());
});
