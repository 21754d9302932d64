"use strict";
// The report's lists (the review queue's buckets, the records, the reviewers) at any size.
//
// Each group of a list shows its first items; the rest wait in <noscript> chunks, which a browser that runs
// this script keeps as one text node each, with nothing to lay out. A chunk becomes elements only when a
// page of its group, a filter, a sort or a link needs them: it is parsed inertly in a <template> (markup
// that medlint wrote and escaped; this script never builds markup from text). Filters, sort, the open group
// and its page live in the URL fragment (#queue?reviewer=dr-ann&status=overdue), so a link shows what its
// sender saw. Without this script the page is whole: the chunks show as folded <details>.
(function () {
  const root = document.documentElement;
  root.classList.add("js");
  const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  const texts = new WeakMap();
  let current = new URLSearchParams();

  function parse(hash) {
    const raw = hash.replace(/^#/, "");
    const at = raw.indexOf("?");
    let anchor = at < 0 ? raw : raw.slice(0, at);
    try { anchor = decodeURIComponent(anchor); } catch (error) { anchor = ""; }
    return { anchor: anchor, params: new URLSearchParams(at < 0 ? "" : raw.slice(at + 1)) };
  }

  function link(anchor, params) {
    const query = params.toString();
    return "#" + anchor + (query ? "?" + query : "");
  }

  function textOf(item) {
    if (!texts.has(item)) { texts.set(item, item.textContent.toLowerCase()); }
    return texts.get(item);
  }

  function sortValue(item, column) {
    const cell = item.querySelector('[data-col="' + column + '"]');
    if (!cell) { return ""; }
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compare(a, b, numeric) {
    if (a === "" || b === "") { return (a === "") - (b === ""); }  // blanks last, whichever the direction
    return numeric ? Number(a) - Number(b) : collator.compare(a, b);
  }

  class Group {
    constructor(element) {
      this.element = element;
      this.name = element.dataset.group;
      this.total = Number(element.dataset.total);
      this.box = element.querySelector(".items");
      this.items = Array.from(this.box.children);
      this.chunks = Array.from(element.querySelectorAll("noscript[data-chunk]"));
      this.tally = element.querySelector(".tally");
      this.footer = document.createElement("p");
      this.footer.className = "more";
      element.appendChild(this.footer);
    }

    loadNext() {
      const chunk = this.chunks.shift();
      const template = document.createElement("template");
      template.innerHTML = chunk.textContent;
      this.items.push(...template.content.querySelectorAll("[data-item]"));
      chunk.remove();
    }

    load(count) {
      while (this.chunks.length && this.items.length < count) { this.loadNext(); }
    }

    find(id) {
      for (;;) {
        const index = this.items.findIndex(function (item) { return item.id === id; });
        if (index >= 0 || !this.chunks.length) { return index; }
        this.loadNext();
      }
    }
  }

  class List {
    constructor(element) {
      const data = element.dataset;
      this.element = element;
      this.first = Number(data.first);
      this.size = Number(data.size);
      this.groupKey = data.groupKey;
      this.pageKey = data.pageKey;
      this.sortKey = data.sortKey || "";
      this.groups = Array.from(element.querySelectorAll("[data-group]")).map(function (g) { return new Group(g); });
      this.controls = Array.from(element.querySelectorAll("[data-key]"));
      this.count = element.querySelector(".controls .count");
      this.headers = Array.from(element.querySelectorAll("th[data-sort-col]"));
      this.controls.forEach(this.listen, this);
      this.headers.forEach(this.sortable, this);
    }

    update(change) {
      change(current);
      current.delete(this.pageKey);
      history.replaceState(null, "", link(this.element.id, current));
      this.render(current);
    }

    listen(control) {
      const key = control.dataset.key;
      let timer = 0;
      const changed = () => this.update(function (params) {
        if (control.value) { params.set(key, control.value); } else { params.delete(key); }
      });
      control.addEventListener("change", changed);
      control.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(changed, 120); });
    }

    sortable(header) {
      const button = document.createElement("button");
      button.type = "button";
      button.append(...header.childNodes);
      const arrow = document.createElement("span");
      arrow.className = "arrow";
      arrow.setAttribute("aria-hidden", "true");
      button.append(arrow);
      header.append(button);
      header.setAttribute("aria-sort", "none");
      const column = header.dataset.sortCol;
      button.addEventListener("click", () => this.update((params) => {
        const ascending = !(params.get(this.sortKey) === column && params.get("dir") !== "desc");
        params.set(this.sortKey, column);
        if (ascending) { params.delete("dir"); } else { params.set("dir", "desc"); }
      }));
    }

    filters(params) {
      const out = [];
      this.controls.forEach(function (control) {
        const value = (params.get(control.dataset.key) || "").trim();
        const match = control.dataset.match;
        if (!value || match === "group") { return; }
        if (match === "text") {
          const words = value.toLowerCase().split(/\s+/);
          out.push(function (item) {
            const text = textOf(item);
            return words.every(function (word) { return text.indexOf(word) !== -1; });
          });
        } else {
          out.push(function (item) { return (item.dataset[match] || "").split(" ").indexOf(value) !== -1; });
        }
      });
      return out;
    }

    order(items, params) {
      const column = params.get(this.sortKey);
      const header = this.headers.find(function (th) { return th.dataset.sortCol === column; });
      this.headers.forEach(function (th) {
        th.setAttribute("aria-sort", th.dataset.sortCol !== column ? "none"
          : params.get("dir") === "desc" ? "descending" : "ascending");
      });
      if (!header) { return items; }
      const numeric = header.dataset.type === "number";
      const sign = params.get("dir") === "desc" ? -1 : 1;
      const keyed = items.map(function (item) { return [sortValue(item, column), item]; });
      keyed.sort(function (x, y) {
        return x[0] === "" || y[0] === "" ? compare(x[0], y[0], numeric) : sign * compare(x[0], y[0], numeric);
      });
      return keyed.map(function (pair) { return pair[1]; });
    }

    render(params) {
      const open = params.get(this.groupKey) || "";
      const page = Math.max(1, parseInt(params.get(this.pageKey), 10) || 1);
      const filters = this.filters(params);
      const sorted = Boolean(this.sortKey && params.get(this.sortKey));
      const whole = filters.length > 0 || sorted;
      this.controls.forEach(function (control) { control.value = params.get(control.dataset.key) || ""; });
      let shown = 0;
      let total = 0;
      this.groups.forEach((group) => {
        total += group.total;
        group.element.hidden = Boolean(open) && open !== group.name;
        if (group.element.hidden) { return; }
        const expanded = open === group.name;
        group.load(whole ? Infinity : expanded ? page * this.size : this.first);
        let items = filters.length ? group.items.filter(function (item) {
          return filters.every(function (test) { return test(item); });
        }) : group.items;
        if (this.sortKey) { items = this.order(items, params); }
        const count = whole ? items.length : group.total;
        const pages = Math.max(1, Math.ceil(count / this.size));
        const start = expanded ? (Math.min(page, pages) - 1) * this.size : 0;
        group.box.replaceChildren(...items.slice(start, expanded ? start + this.size : this.first));
        if (group.tally) {
          group.tally.textContent = count === group.total ? group.total.toLocaleString("en")
            : count.toLocaleString("en") + " of " + group.total.toLocaleString("en");
        }
        this.footer(group, params, expanded, count, Math.min(page, pages), pages);
        shown += count;
      });
      if (this.count) {
        this.count.textContent = shown === total ? "" : "Showing " + shown.toLocaleString("en") + " of "
          + total.toLocaleString("en");
      }
    }

    footer(group, params, expanded, count, page, pages) {
      const parts = [];
      const go = (text, change) => {
        const next = new URLSearchParams(params);
        change(next);
        const a = document.createElement("a");
        a.href = link(this.element.id, next);
        a.textContent = text;
        parts.push(a);
      };
      if (!count) { parts.push("Nothing here matches the filters."); }
      if (!expanded && count > this.first) {
        go("Show all " + count.toLocaleString("en"), (next) => { next.set(this.groupKey, group.name); });
      }
      if (expanded) {
        if (page > 1) { go("\u2190 Previous", (next) => { next.set(this.pageKey, String(page - 1)); }); }
        if (pages > 1) { parts.push("Page " + page + " of " + pages); }
        if (page < pages) { go("Next \u2192", (next) => { next.set(this.pageKey, String(page + 1)); }); }
        if (this.groups.length > 1) {
          go("Back to every group", (next) => { next.delete(this.groupKey); next.delete(this.pageKey); });
        }
      }
      group.footer.replaceChildren(...parts);
    }

    reveal(id, params) {
      // an item that is not in the page: open its group at its page, with this list's filters cleared
      for (const group of this.groups) {
        const index = group.find(id);
        if (index >= 0) {
          this.controls.forEach(function (control) { params.delete(control.dataset.key); });
          if (this.sortKey) { params.delete(this.sortKey); params.delete("dir"); }
          params.set(this.groupKey, group.name);
          params.set(this.pageKey, String(Math.floor(index / this.size) + 1));
          return group.items[index];
        }
      }
      return null;
    }
  }

  const lists = Array.from(document.querySelectorAll("[data-list]")).map(function (e) { return new List(e); });

  function apply() {
    const state = parse(location.hash);
    let params = state.params;
    let target = state.anchor ? document.getElementById(state.anchor) : null;
    for (let i = 0; !target && state.anchor && i < lists.length; i += 1) {
      target = lists[i].reveal(state.anchor, params);
    }
    if (target && target.dataset.state) {  // a reviewer's row stands for their part of the queue
      const view = parse("#" + target.dataset.state);
      view.params.forEach(function (value, key) { params.set(key, value); });
      target = document.getElementById(view.anchor);
    }
    current = params;
    lists.forEach(function (list) { list.render(params); });
    if (target) {
      for (let node = target; node; node = node.parentElement) {
        if (node.tagName === "DETAILS") { node.open = true; }
      }
      target.scrollIntoView();
    }
    return target;
  }

  window.addEventListener("hashchange", apply);
  const target = apply();
  // the browser scrolls to an element the fragment names once the page has loaded (`#reviewer-...` is
  // their row of the workload table); the view that the fragment stands for is where the reader goes
  window.addEventListener("load", function () { if (target) { target.scrollIntoView(); } }, { once: true });
  root.setAttribute("data-ready", "");
  performance.mark("medlint-ready");
}());
