/* hpskb site behaviour: search (loaded on first use) and copy buttons. No external requests. */
(function () {
  'use strict';

  /* ---- UI strings: base.html hands the scripts theirs as JSON (the `js_` keys of
     i18n/<language>.toml); a site's own base.html without them gets these English ones. ---- */
  var ENGLISH = {
    table_scrolls: 'table, scrolls sideways', close: 'Close', open_glossary: 'Open the glossary',
    reference: 'Reference', go_to_references: 'Go to the reference list', accessed: 'Accessed {date}.',
    copy: 'Copy', copied: 'Copied',
    saved_copy: 'You are reading the copy saved on this device: the network did not answer. ' +
      'Check the review date, and reload when you are back online.',
    showing_results_for: 'Showing results for \u201c{term}\u201d',
    no_results: 'No results. Try a generic or brand name.',
    search_unavailable: 'Search is unavailable here (it needs the site to be served over http).',
  };
  var strings = {};
  try { strings = JSON.parse(document.getElementById('ui-strings').textContent); } catch (e) { strings = {}; }
  function t(key, fill) {
    var s = strings[key] || ENGLISH[key];
    Object.keys(fill || {}).forEach(function (k) { s = s.split('{' + k + '}').join(fill[k]); });
    return s;
  }

  /* ---- Phone menu: the "Menu" button shows and hides the site navigation (CSS shows the
     button only on narrow screens). ---- */
  var menuButton = document.querySelector('.menu-toggle');
  var siteNav = document.getElementById('site-nav');
  if (menuButton && siteNav) {
    var setMenu = function (open) {
      menuButton.setAttribute('aria-expanded', String(open));
      siteNav.classList.toggle('open', open);
    };
    menuButton.addEventListener('click', function () { setMenu(menuButton.getAttribute('aria-expanded') !== 'true'); });
    siteNav.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && siteNav.classList.contains('open')) { setMenu(false); menuButton.focus(); }
    });
  }

  /* ---- Wide tables: each scrolls inside a box that keyboard users can focus and scroll,
     with a visible "scrolls sideways" cue while it is wider than the screen. ---- */
  var wraps = [];
  document.querySelectorAll('.content table').forEach(function (table) {
    if (table.closest('.calculator')) return;
    var wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
    wraps.push(wrap);
  });
  function markScrolling() {
    wraps.forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle('scrolls', scrolls);
      if (scrolls) {
        var caption = wrap.querySelector('caption');
        wrap.setAttribute('role', 'region');
        wrap.setAttribute('tabindex', '0');
        wrap.setAttribute('aria-label', (caption ? caption.textContent.trim() + ': ' : '') + t('table_scrolls'));
      } else {
        ['role', 'tabindex', 'aria-label'].forEach(function (a) { wrap.removeAttribute(a); });
      }
    });
  }
  if (wraps.length) { markScrolling(); window.addEventListener('resize', markScrolling); }

  /* ---- References and glossary terms in place: tapping a citation number or a term opens a
     note with the reference or the definition next to it (Escape or Close returns to the
     text); without JavaScript both stay plain links to the reference list and the glossary. ---- */
  var note = null, noteTrigger = null, glossaries = {};
  function noteBox() {
    if (note) return note;
    note = document.createElement('div');
    note.className = 'note-popover';
    note.id = 'note-popover';
    note.setAttribute('role', 'dialog');
    note.setAttribute('aria-labelledby', 'note-popover-title');
    note.tabIndex = -1;
    note.hidden = true;
    note.innerHTML = '<p class="note-popover-title" id="note-popover-title"></p><div class="note-popover-body"></div>' +
      '<p class="note-popover-actions"><a class="note-popover-more"></a><button type="button" class="note-popover-close"></button></p>';
    note.querySelector('.note-popover-close').textContent = t('close');
    note.querySelector('.note-popover-close').addEventListener('click', function () { closeNote(true); });
    // Escape closes; so does tabbing out of the note, back to its link, so the next Tab
    // goes on through the text from there.
    note.addEventListener('keydown', function (e) {
      var items = note.querySelectorAll('a[href], button');
      var out = e.key === 'Tab' && (e.shiftKey
        ? document.activeElement === items[0] || document.activeElement === note
        : document.activeElement === items[items.length - 1]);
      if (e.key === 'Escape' || out) { e.preventDefault(); closeNote(true); }
    });
    document.body.appendChild(note);
    document.addEventListener('click', function (e) {
      if (!note.hidden && !note.contains(e.target) && e.target.closest('a') !== noteTrigger) closeNote(false);
    });
    return note;
  }
  function closeNote(refocus) {
    if (!note || note.hidden) return;
    note.hidden = true;
    if (noteTrigger) {
      noteTrigger.setAttribute('aria-expanded', 'false');
      if (refocus) noteTrigger.focus();
    }
    noteTrigger = null;
  }
  function openNote(trigger, title, body, moreText) {
    var box = noteBox();
    if (noteTrigger) noteTrigger.setAttribute('aria-expanded', 'false');
    noteTrigger = trigger;
    trigger.setAttribute('aria-expanded', 'true');
    box.querySelector('.note-popover-title').textContent = title;
    var content = box.querySelector('.note-popover-body');
    content.textContent = '';
    content.appendChild(body);
    var more = box.querySelector('.note-popover-more');
    more.href = trigger.href;
    more.textContent = moreText;
    box.hidden = false;
    var r = trigger.getBoundingClientRect();
    var width = Math.min(box.offsetWidth, document.documentElement.clientWidth - 16);
    box.style.left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8)) + 'px';
    box.style.top = (r.bottom + window.scrollY + 6) + 'px';
    box.focus();
  }
  function definition(trigger) {
    var url = trigger.href.split('#')[0];
    var id = decodeURIComponent(trigger.hash.slice(1));
    if (!glossaries[url]) {
      glossaries[url] = fetch(url).then(function (r) { return r.ok ? r.text() : ''; })
        .then(function (html) { return new DOMParser().parseFromString(html, 'text/html'); })
        .catch(function () { return null; });
    }
    return glossaries[url].then(function (doc) {
      var dt = doc && doc.getElementById(id);
      var dd = dt && dt.nextElementSibling;
      return dd && dd.tagName === 'DD' ? dd.textContent.trim() : null;
    });
  }
  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var a = e.target.closest && e.target.closest('sup.cite a[href^="#"], a.term');
    if (!a) return;
    if (a === noteTrigger) { e.preventDefault(); closeNote(true); return; }
    if (a.classList.contains('term')) {
      e.preventDefault();
      var abbr = a.querySelector('abbr');
      var p = document.createElement('p');
      p.textContent = abbr ? abbr.title : '';
      openNote(a, a.textContent.trim(), p, t('open_glossary'));
      definition(a).then(function (text) { if (text && noteTrigger === a) p.textContent = text; });
      return;
    }
    var target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    var item = target && target.closest('li');
    var text = item && item.querySelector('.ref-text');
    if (!text) return;
    e.preventDefault();
    var body = document.createElement('div');
    body.appendChild(text.cloneNode(true));
    var links = item.querySelector('.ref-links a[href^="http"]');
    if (links) body.appendChild(links.cloneNode(true));
    openNote(a, a.getAttribute('aria-label') || t('reference'), body, t('go_to_references'));
  });
  document.querySelectorAll('sup.cite a[href^="#"], a.term').forEach(function (a) {
    a.setAttribute('aria-haspopup', 'dialog');
    a.setAttribute('aria-expanded', 'false');
    a.setAttribute('aria-controls', 'note-popover');
  });

  /* ---- Cite this page: the reader's browser adds today's date as the accessed date to the
     AMA text, the BibTeX (urldate) and the RIS (Y2), shown and downloaded alike; the built
     files stay byte-identical between builds. ---- */
  var citeBlock = document.querySelector('.cite-page');
  if (citeBlock) {
    var today = new Date();
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    var iso = today.getFullYear() + '-' + two(today.getMonth() + 1) + '-' + two(today.getDate());
    var human = today.toLocaleDateString(document.documentElement.lang || 'en-US', { year: 'numeric', month: 'long', day: 'numeric' });
    var amaLinks = citeBlock.querySelectorAll('.cite-ama a');
    var url = amaLinks[amaLinks.length - 1];
    if (url) url.parentNode.insertBefore(document.createTextNode(t('accessed', { date: human }) + ' '), url);
    var accessed = {
      'cite-bibtex': function (t) { return t.replace(/\s*\}\s*$/, ',\n  urldate = {' + iso + '}\n}\n'); },
      'cite-ris': function (t) { return t.replace(/\nER {2}-\s*$/, '\nY2  - ' + iso.replace(/-/g, '/') + '\nER  - \n'); },
    };
    Object.keys(accessed).forEach(function (kind) {
      var code = citeBlock.querySelector('pre.' + kind + ' code');
      var link = citeBlock.querySelector('a.' + kind);
      if (!code) return;
      code.textContent = accessed[kind](code.textContent);
      if (!link) return;
      link.addEventListener('click', function (e) {
        e.preventDefault();
        var blob = new Blob([code.textContent], { type: 'text/plain;charset=utf-8' });
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = link.pathname.split('/').pop();
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      });
    });
  }

  /* ---- Language switcher: the other language's page opens at the section being read
     (translations keep the source's heading ids, e.g. `## 要点 {#key-points}`); a section
     the translation lacks just opens the page at its top. ---- */
  document.querySelectorAll('.languages a').forEach(function (a) {
    a.addEventListener('click', function () {
      // The section the address names, else the last heading scrolled past.
      var named = decodeURIComponent(location.hash.slice(1));
      var current = named && document.getElementById(named) ? named : null;
      if (!current) {
        document.querySelectorAll('.content h2[id], .content h3[id]').forEach(function (h) {
          if (h.getBoundingClientRect().top <= 80) current = h.id;
        });
      }
      if (current) a.hash = encodeURIComponent(current);
    });
  });

  /* ---- Copy buttons on citation blocks ---- */
  document.querySelectorAll('.cite-page pre, .copyable').forEach(function (pre) {
    if (!navigator.clipboard) return;
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'copy-button';
    b.textContent = t('copy');
    b.addEventListener('click', function () {
      navigator.clipboard.writeText(pre.textContent).then(function () {
        b.textContent = t('copied');
        setTimeout(function () { b.textContent = t('copy'); }, 1500);
      });
    });
    pre.parentNode.insertBefore(b, pre);
  });

  /* ---- Offline: the service worker saves the site on this device (see sw.js) and
     tells each page whether it was given the saved copy (no or a slow network). ---- */
  var worker = document.documentElement.getAttribute('data-sw');
  function savedCopyNote() {
    if (document.getElementById('offline-note')) return;
    var note = document.createElement('p');
    note.id = 'offline-note';
    note.className = 'callout callout-warning offline-note';
    note.setAttribute('role', 'status');
    note.textContent = t('saved_copy');
    var main = document.getElementById('main') || document.body;
    main.insertBefore(note, main.firstChild);
  }
  if (worker && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register(worker).catch(function () {});
    var controller = navigator.serviceWorker.controller;
    if (controller && window.MessageChannel) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (e) { if (e.data === true) savedCopyNote(); };
      controller.postMessage('given-saved-copy?', [channel.port2]);
    }
    if (controller && !navigator.onLine) savedCopyNote();
  }

  /* ---- Search ---- */
  var box = document.querySelector('.search');
  if (!box) return;
  var base = box.getAttribute('data-search-base'); // e.g. "/kb/pagefind/"
  var sitePath = base.replace(/pagefind\/$/, '');     // e.g. "/kb/"
  var input = box.querySelector('input[type="search"]');
  var out = box.querySelector('.search-results');
  var form = box.querySelector('form');
  var pagefind = null;
  var terms = null;
  var seq = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(base + 'pagefind.js').then(function (pf) {
        return pf.options({ baseUrl: sitePath, excerptLength: 16 }).then(function () { pf.init(); return pf; });
      });
    }
    return pagefind;
  }

  function loadTerms() {
    if (!terms) {
      terms = fetch(sitePath + 'search-terms.json').then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; })
        .then(function (t) {
          // Only the names of pages in the reader's language (the index is per language too).
          var lang = document.documentElement.lang;
          var list = (t.terms || []).filter(function (x) { return !x.lang || x.lang === lang; });
          return { list: list, synonyms: t.synonyms || {} };
        });
    }
    return terms;
  }

  /* British spellings and synonyms are searched as the site writes them (American spelling,
     one name per concept), so "haemoglobin" and "hemoglobin" find the same pages in the same
     order, and so do the names a site lists as synonyms of one of its terms (config.toml
     [search_synonyms], e.g. "HPS" for "HLH"). Each spelling rule rewrites one lower-case
     word or phrase. */
  var SPELLING = [
    [/^oe(?=soph|dem|str)/, 'e'], [/haem/g, 'hem'], [/aem(?=i)/g, 'em'], [/paed/g, 'ped'], [/oea\b/g, 'ea'],
    [/tumour/g, 'tumor'], [/colour/g, 'color'], [/behaviour/g, 'behavior'], [/centre/g, 'center'],
    [/judgement/g, 'judgment'], [/([a-z])isation/g, '$1ization'], [/recognis/g, 'recogniz'],
    [/(anal|paral)ys(e|ed|ing)\b/g, '$1yz$2'], [/(signal|label|model)ling/g, '$1ing'],
    [/lympho[\s-]?h[iy]st[iy]?o?cyt[a-z]*/g, 'lymphohistiocytosis'],
  ];
  function normalise(query, synonyms) {
    var q = query.toLowerCase().replace(/\s+/g, ' ').trim();
    q = q.split(' ').map(function (w) {
      return SPELLING.reduce(function (word, rule) { return word.replace(rule[0], rule[1]); }, w);
    }).join(' ');
    q = SPELLING.reduce(function (phrase, rule) { return phrase.replace(rule[0], rule[1]); }, q);
    return Object.prototype.hasOwnProperty.call(synonyms, q) ? synonyms[q] : q;
  }

  /* Optimal string alignment distance, bounded: typo tolerance for drug names and titles. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  /* Known terms (titles, generic and brand names, abbreviations) close to the query. */
  function correct(query, list) {
    var q = query.toLowerCase();
    var max = q.length <= 4 ? 1 : 2;
    var hits = [];
    list.forEach(function (t) {
      var d = distance(q, t.term, max);
      if (d <= max) hits.push({ d: d, t: t });
    });
    hits.sort(function (x, y) { return x.d - y.d || x.t.term.localeCompare(y.t.term); });
    return hits.map(function (h) { return h.t; });
  }

  function text(tag, value) {
    var el = document.createElement(tag);
    el.textContent = value;
    return el;
  }

  function render(results, suggestion) {
    out.textContent = '';
    if (suggestion) {
      out.appendChild(text('p', t('showing_results_for', { term: suggestion })));
    }
    if (!results.length) {
      out.appendChild(text('p', t('no_results')));
      return;
    }
    var ol = document.createElement('ol');
    results.forEach(function (r) {
      var li = document.createElement('li');
      var a = text('a', r.title);
      a.href = r.url;
      li.appendChild(a);
      if (r.excerpt) {
        var p = document.createElement('p');
        // Pagefind excerpts are built from our own escaped page text; only <mark> is kept.
        // Headings' "#" link anchors are page text to Pagefind; they are not the reader's.
        p.innerHTML = r.excerpt.replace(/<(?!\/?mark>)[^>]*>/g, '').replace(/(^|\s)#(?=\s|$)/g, '$1').replace(/\s{2,}/g, ' ');
        li.appendChild(p);
      }
      ol.appendChild(li);
    });
    out.appendChild(ol);
  }

  function pagefindSearch(pf, q) {
    return pf.search(q).then(function (s) {
      return Promise.all(s.results.slice(0, 8).map(function (r) { return r.data(); }));
    }).then(function (data) {
      return data.map(function (d) { return { title: (d.meta && d.meta.title) || d.url, url: d.url, excerpt: d.excerpt }; });
    });
  }

  /* Results for the normalised query first, then any others for the words as typed (pages
     not yet in the site's spelling), each page once. */
  function searchBoth(pf, typed, q) {
    var lower = typed.toLowerCase().replace(/\s+/g, ' ').trim();
    return pagefindSearch(pf, q).then(function (results) {
      if (lower === q) return { results: results };
      return pagefindSearch(pf, lower).then(function (more) {
        var seen = {};
        var merged = results.concat(more).filter(function (r) { if (seen[r.url]) return false; seen[r.url] = 1; return true; });
        return { results: merged.slice(0, 10), suggestion: q };
      });
    });
  }

  function search(typed) {
    var mine = ++seq;
    typed = typed.trim();
    if (!typed) { out.textContent = ''; return; }
    Promise.all([load(), loadTerms()]).then(function (ready) {
      var pf = ready[0], list = ready[1].list;
      var q = normalise(typed, ready[1].synonyms);
      return searchBoth(pf, typed, q).then(function (found) {
        var results = found.results;
        if (found.suggestion || q.indexOf(' ') >= 0) return found;
        // A single word that is not a known name may be a misspelling of one: put the
        // pages for the closest known names first, then everything else.
        if (list.some(function (t) { return t.term === q; })) return { results: results };
        var near = correct(q, list);
        if (!near.length) return { results: results };
        return pagefindSearch(pf, near[0].term).then(function (r2) {
          var seen = {};
          var direct = near.slice(0, 3).map(function (t) { return { title: t.title, url: t.url, excerpt: '' }; });
          var merged = direct.concat(r2, results).filter(function (r) { if (seen[r.url]) return false; seen[r.url] = 1; return true; });
          return { results: merged.slice(0, 10), suggestion: near[0].term };
        });
      });
    }).then(function (r) {
      if (mine === seq) render(r.results, r.suggestion);
    }).catch(function () {
      if (mine === seq) { out.textContent = ''; out.appendChild(text('p', t('search_unavailable'))); }
    });
  }

  var timer = null;
  input.addEventListener('focus', function () { load(); }, { once: true });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 150);
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { input.value = ''; out.textContent = ''; }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    search(input.value);
  });
  var initial = new URLSearchParams(location.search).get('q');
  if (initial && document.getElementById('search-page')) { input.value = initial; search(initial); }
})();
