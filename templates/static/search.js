/* The search page: Pagefind UI over this language's index, in shards.
 *
 * A large site's index is split into several Pagefind bundles (see
 * sitegen/publish/search.py): the first at the bundle path, the others listed
 * in its sitegen-shards.json, merged into the first (Pagefind's mergeIndex)
 * before the first query runs, so one search box finds records of them all.
 *
 * The index holds Arabic in the extractor's normalised form (see
 * sitegen/publish/search_text.py), so a reader's query is reduced the same
 * way before Pagefind sees it: `queryKey` is a port of `query_text`, driven by
 * the rules the build emits next to the index (sitegen-rules.json). Results
 * show the original title and excerpt, which the index keeps in its meta.
 */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{M}\p{N}]+/gu;

  /* Normalise one word: character map (diacritics, alef, yaa, teh marbuta,
   * digits, case), then drop the article when enough of the word remains. */
  function wordKey(word, rules) {
    var out = "";
    for (var ch of word) {
      var mapped = rules.charmap[ch];
      out += mapped === undefined ? ch : mapped;
    }
    out = out.toLowerCase();
    var article = rules.article;
    if (article && out.startsWith(article) && out.length - article.length >= rules.min_core) {
      out = out.slice(article.length);
    }
    return out;
  }

  /* A reader's query as the index expects it. */
  function queryKey(query, rules) {
    if (!rules.charmap || rules.language !== "ar") return query;
    var words = query.match(WORD) || [];
    return words.map(function (w) { return wordKey(w, rules); }).filter(Boolean).join(" ");
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Show the original excerpt, not the normalised text Pagefind indexed
   * (and not as a metadata tag, which Pagefind UI makes of unknown meta). */
  function showOriginal(result) {
    if (result.meta && result.meta.excerpt !== undefined) {
      result.excerpt = escapeHtml(result.meta.excerpt);
      delete result.meta.excerpt;
    }
    result.sub_results = [];
    return result;
  }

  /* Pagefind UI labels its input with a title only: point it at the page's
   * visible heading instead (data-labelledby), which screen readers announce. */
  function labelInput(box) {
    var input = box.querySelector("input");
    if (input && box.dataset.labelledby) {
      input.setAttribute("aria-labelledby", box.dataset.labelledby);
      input.removeAttribute("title");
    }
  }

  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  /* The other shards' bundles, with the site root their records' URLs are
   * under (a merged bundle would otherwise guess it from its own path). */
  function shardIndexes(bundle, manifest, siteRoot) {
    return manifest.shards.map(function (path) {
      return { bundlePath: bundle + path, baseUrl: siteRoot };
    });
  }

  function start(box) {
    var bundle = new URL(box.dataset.bundle, document.baseURI).pathname;
    var siteRoot = new URL(box.dataset.siteRoot, document.baseURI).pathname;
    var loading = [fetchJson(bundle + "sitegen-rules.json"), fetchJson(bundle + "sitegen-shards.json")];
    Promise.all(loading)
      .then(function (loaded) {
        var rules = loaded[0];
        var ui = new window.PagefindUI({
          element: "#" + box.id,
          bundlePath: bundle,
          baseUrl: siteRoot,
          mergeIndex: shardIndexes(bundle, loaded[1], siteRoot),
          showImages: false,
          showSubResults: false,
          processTerm: function (term) { return queryKey(term, rules); },
          processResult: showOriginal,
        });
        labelInput(box);
        var initial = new URLSearchParams(window.location.search).get("q");
        if (initial) ui.triggerSearch(initial);
        box.dataset.ready = "true";
      })
      .catch(function (error) {
        box.dataset.ready = "error"; // the noscript advice is the reader's way round
        console.error("search unavailable:", error);
      });
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { queryKey: queryKey, wordKey: wordKey };
  } else {
    var box = document.querySelector("[data-search]");
    if (box) start(box);
  }
})();
