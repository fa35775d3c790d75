
(function () {
  "use strict";
  var kg = window.kg = {ready: false, drawn: false, layouts: 0, panel: null, focus: null, labels: []};
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  if (!data.nodes.length || !data.events.length) { kg.ready = true; return; }
  function $(id) { return document.getElementById(id); }
  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined) { element.textContent = text; }
    return element;
  }
  function clear(element) { while (element.firstChild) { element.removeChild(element.firstChild); } }
  function plural(n, word, many) { return n.toLocaleString("en") + " " + (n === 1 ? word : (many || word + "s")); }
  function clip(text, size) { return text.length <= size ? text : text.slice(0, size - 1) + "\u2026"; }

  var ents = data.nodes, events = data.events, sentences = data.sentences;
  var nodeEvents = ents.map(function () { return []; });
  events.forEach(function (ev, i) { ev.nodes.forEach(function (id) { nodeEvents[id].push(i); }); });
  var stateEvents = {};
  ents.forEach(function (n) {
    if (!n.members.length) { return; }
    var seen = {}, list = [];
    [n.id].concat(n.members).forEach(function (m) {
      nodeEvents[m].forEach(function (i) { if (!seen[i]) { seen[i] = true; list.push(i); } });
    });
    stateEvents[n.id] = list.sort(function (a, b) { return a - b; });
  });

  // ---- The view: which node stands for each entity, and the links between those nodes.
  var view = data.view, expanded = {}, filters = null, current = null;
  function isState(id) { return view === "state" && ents[id].members.length > 0 && !expanded[id]; }
  function shownAs(id) {
    var s = ents[id].state;
    return view === "state" && s >= 0 && !expanded[s] ? s : id;
  }
  function stateLabel(n) { return n.name + " (+" + n.members.length + ")"; }
  function nodeName(id) { return isState(id) ? stateLabel(ents[id]) : ents[id].name; }
  function countryOf(id) {
    var n = ents[id];
    return n.country || (n.state >= 0 ? ents[n.state].country : "");
  }
  var typeBoxes = Array.prototype.slice.call(document.querySelectorAll("input.kg-type"));
  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input.kg-kind"));
  var toggle = $("kg-uncertain"), from = $("kg-from"), to = $("kg-to"), country = $("kg-country");
  var viewBox = $("kg-view");
  function readFilters() {
    var types = {}, kinds = {};
    typeBoxes.forEach(function (box) { types[box.value] = box.checked; });
    kindBoxes.forEach(function (box) { kinds[box.value] = box.checked; });
    return {types: types, kinds: kinds, uncertain: toggle.checked, from: from.value, to: to.value,
            country: country.value};
  }
  function shown(ev) {
    if (!filters.types[ev.type] || (ev.uncertain && !filters.uncertain)) { return false; }
    if (filters.from || filters.to) {
      if (!ev.lo) { return false; }
      if ((filters.from && ev.hi < filters.from) || (filters.to && ev.lo > filters.to)) { return false; }
    }
    return true;
  }
  function kept(id) { return filters.kinds[ents[id].kind] !== false; }
  function pairsOf(ev) {
    var a = ev.a.filter(kept), r = ev.r.filter(kept), out = [];
    if (ev.r.length) {
      a.forEach(function (x) { r.forEach(function (y) { if (x !== y) { out.push([x, y]); } }); });
    } else {
      a.forEach(function (x, i) { a.slice(i + 1).forEach(function (y) { if (x !== y) { out.push([x, y]); } }); });
    }
    return out;
  }
  function links() {
    var byKey = {}, list = [];
    events.forEach(function (ev, i) {
      if (!shown(ev)) { return; }
      pairsOf(ev).forEach(function (pair) {
        if (filters.country && countryOf(pair[0]) !== filters.country && countryOf(pair[1]) !== filters.country) {
          return;
        }
        var x = shownAs(pair[0]), y = shownAs(pair[1]);
        if (x === y) { return; }
        var low = Math.min(x, y), high = Math.max(x, y), key = low + "-" + high;
        var link = byKey[key];
        if (!link) {
          link = byKey[key] = {id: key, from: low, to: high, events: [], kinds: {}, quads: {}, forward: false,
                               backward: false, certain: 0};
          list.push(link);
        }
        if (ev.directed) { if (x === low) { link.forward = true; } else { link.backward = true; } }
        if (link.events[link.events.length - 1] === i) { return; }
        link.events.push(i);
        var name = ev.type + (ev.uncertain ? " (" + ev.modality.toLowerCase() + ")" : "");
        var kind = link.kinds[name] || (link.kinds[name] = {n: 0, forward: 0, backward: 0});
        kind.n += 1;
        if (ev.directed) { kind[x === low ? "forward" : "backward"] += 1; }
        if (!ev.uncertain) { link.certain += 1; link.quads[ev.color] = (link.quads[ev.color] || 0) + 1; }
      });
    });
    return list;
  }
  function linkTitle(link) {
    var a = nodeName(link.from), b = nodeName(link.to);
    var lines = [clip(a, 80) + " \u2013 " + clip(b, 80) + ": " + plural(link.events.length, "event")];
    Object.keys(link.kinds).sort(function (p, q) {
      return link.kinds[q].n - link.kinds[p].n || (p < q ? -1 : 1);
    }).forEach(function (name) {
      var k = link.kinds[name], ways = [];
      if (k.forward) { ways.push(k.forward + " \u2192"); }
      if (k.backward) { ways.push(k.backward + " \u2190"); }
      lines.push("  " + name + ": " + k.n + (ways.length ? " (" + ways.join(", ") + ")" : ""));
    });
    var last = link.events.slice(-2).reverse();
    last.forEach(function (i) {
      var s = sentences[events[i].sentences[0]];
      if (s) {
        lines.push("\u201c" + clip(s.text, 240) + "\u201d");
        lines.push("    " + [s.doc, s.title, s.date].filter(function (p) { return p; }).join(", "));
      }
    });
    if (link.events.length > last.length) { lines.push("Click for all " + link.events.length + " events."); }
    return lines.join("\n");
  }
  function visLink(link) {
    var colour = data.uncertainColour, top = 0;
    Object.keys(link.quads).sort().forEach(function (c) {
      if (link.quads[c] > top) { top = link.quads[c]; colour = c; }
    });
    return {
      id: link.id, from: link.from, to: link.to, title: linkTitle(link),
      width: Math.round(Math.min(1 + 1.5 * Math.log2(link.events.length), 8) * 100) / 100,
      color: {color: colour, highlight: colour, hover: colour, opacity: linkOpacity},
      dashes: link.certain === 0,
      arrows: {to: {enabled: link.forward}, from: {enabled: link.backward}},
      count: link.events.length
    };
  }
  function stateTitle(n) {
    var kinds = {};
    n.members.forEach(function (m) { kinds[ents[m].kind] = (kinds[ents[m].kind] || 0) + 1; });
    return [n.name + ": a state and the " + plural(n.members.length, "entity", "entities") + " it folds in",
            Object.keys(kinds).sort().map(function (k) { return k + " " + kinds[k]; }).join(", "),
            plural(stateEvents[n.id].length, "event"), "Click to expand it into its parts."].join("\n");
  }
  function visNode(id, show) {
    var n = ents[id], state = isState(id);
    return {id: id, hidden: !show, title: state ? stateTitle(n) : n.title,
            size: state ? Math.min(8 + 3 * Math.sqrt(stateEvents[id].length), 40) : n.size,
            borderWidth: state ? 3 : 1};
  }

  var nodes = null, edges = null, network = null, degree = {}, order = [], linkOpacity = 1;
  function rebuild() {
    filters = readFilters();
    var list = links(), visible = {};
    degree = {};
    list.forEach(function (link) {
      visible[link.from] = visible[link.to] = true;
      degree[link.from] = (degree[link.from] || 0) + 1;
      degree[link.to] = (degree[link.to] || 0) + 1;
    });
    var hiddenCount = 0, nodeCount = 0;
    ents.forEach(function (n) {
      if (!visible[shownAs(n.id)]) { hiddenCount += 1; }
      if (visible[n.id]) { nodeCount += 1; }
    });
    var records = ents.map(function (n) { return visNode(n.id, !!visible[n.id]); });
    linkOpacity = list.length > 1000 ? 0.35 : list.length > 300 ? 0.6 : 1;  // dense drawings: lighter links
    var linkRecords = list.map(visLink);
    current = {links: {}, visible: visible};
    list.forEach(function (link) { current.links[link.id] = link; });
    if (nodes === null) {
      nodes = new vis.DataSet(ents.map(function (n, i) {
        var r = records[i];
        r.x = view === "state" ? n.sx : n.x; r.y = view === "state" ? n.sy : n.y; r.shape = n.shape; r.color = n.color;
        return r;
      }));
      edges = new vis.DataSet(linkRecords);
    } else {
      var changes = [];
      records.forEach(function (r) {
        var old = nodes.get(r.id);
        if (old.hidden !== r.hidden || old.size !== r.size || old.title !== r.title) { changes.push(r); }
      });
      if (changes.length) { nodes.update(changes); }
      edges.clear();
      edges.add(linkRecords);
    }
    order = Object.keys(visible).map(Number).sort(function (a, b) {
      return (degree[b] - degree[a]) || (ents[b].events - ents[a].events) || (a - b);
    });
    kg.visibleNodes = nodeCount;
    kg.visibleEdges = list.length;
    kg.hiddenEntities = hiddenCount;
    var status = plural(nodeCount, "node") + ", " + plural(list.length, "link");
    if (hiddenCount) {
      status += "; " + plural(hiddenCount, "entity", "entities") + " with no link in these filters hidden";
    }
    $("kg-view-status").textContent = status;
    var on = typeBoxes.filter(function (box) { return box.checked; }).length;
    $("kg-types-count").textContent = on === typeBoxes.length ? "all" : on + " of " + typeBoxes.length;
    var kindsOn = kindBoxes.filter(function (box) { return box.checked; }).length;
    $("kg-kinds-count").textContent = kindsOn === kindBoxes.length ? "all" : kindsOn + " of " + kindBoxes.length;
  }

  rebuild();
  network = new vis.Network($("kg-network"), {nodes: nodes, edges: edges}, data.options);
  kg.network = network; kg.nodes = nodes; kg.edges = edges;
  kg.entities = ents;
  kg.view = function () { return view; };
  kg.expanded = function () { return Object.keys(expanded).map(Number); };
  kg.name = nodeName;
  window.kgNetwork = network;
  network.once("afterDrawing", function () { kg.drawn = true; });

  // ---- Labels: drawn by the page, most linked first, each only where it overlaps no other.
  var stage = $("kg-network"), widths = {};
  function drawLabels(ctx) {
    var ratio = network.canvas.pixelRatio || 1, scale = network.getScale();
    var origin = network.canvasToDOM({x: 0, y: 0}), width = stage.clientWidth, height = stage.clientHeight;
    var grid = {}, placed = [], cell = 60, focus = kg.focus;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    function free(box) {
      for (var gx = Math.floor(box[0] / cell); gx <= Math.floor((box[0] + box[2]) / cell); gx++) {
        for (var gy = Math.floor(box[1] / cell); gy <= Math.floor((box[1] + box[3]) / cell); gy++) {
          var list = grid[gx + ":" + gy] || [];
          for (var k = 0; k < list.length; k++) {
            var o = list[k];
            if (o.node !== box.node &&
                box[0] < o[0] + o[2] && o[0] < box[0] + box[2] && box[1] < o[1] + o[3] && o[1] < box[1] + box[3]) {
              return false;
            }
          }
        }
      }
      return true;
    }
    function take(box) {
      for (var gx = Math.floor(box[0] / cell); gx <= Math.floor((box[0] + box[2]) / cell); gx++) {
        for (var gy = Math.floor(box[1] / cell); gy <= Math.floor((box[1] + box[3]) / cell); gy++) {
          (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(box);
        }
      }
    }
    var candidates = focus ? [focus.node].concat(focus.neighbours) : order;
    order.forEach(function (id) {  // nodes are obstacles too: a label never covers another node
      var body = network.body.nodes[id];
      if (!body || body.options.hidden || (focus && body.options.opacity < 1)) { return; }
      var x = body.x * scale + origin.x, y = body.y * scale + origin.y, r = body.options.size * scale;
      if (r >= 3 && x > -r && y > -r && x < width + r && y < height + r) {
        var box = [x - r, y - r, 2 * r, 2 * r];
        box.node = id;
        take(box);
      }
    });
    for (var c = 0; c < candidates.length && placed.length < 300; c++) {
      var id = candidates[c], body = network.body.nodes[id];
      if (!body || body.options.hidden) { continue; }
      var x = body.x * scale + origin.x, y = body.y * scale + origin.y, r = body.options.size * scale;
      if (x < -50 || y < -50 || x > width + 50 || y > height + 50) { continue; }
      var text = clip(nodeName(id), 32), font = (isState(id) ? "600 " : "") + "12px system-ui, sans-serif";
      var key = font + text;
      ctx.font = font;
      if (!(key in widths)) { widths[key] = ctx.measureText(text).width; }
      var w = widths[key] + 4, h = 15;
      var box = null, spots = [[x - w / 2, y + r + 2], [x - w / 2, y - r - 2 - h], [x + r + 3, y - h / 2],
                               [x - r - 3 - w, y - h / 2]];  // below, above, right, left
      for (var k = 0; k < spots.length && box === null; k++) {
        var spot = [spots[k][0], spots[k][1], w, h];
        spot.node = id;
        if (spot[0] >= 0 && spot[1] >= 0 && spot[0] + w <= width && spot[1] + h <= height && free(spot)) { box = spot; }
      }
      if (box === null) { continue; }
      take(box);
      placed.push({id: id, text: text, x: box[0], y: box[1], w: w, h: h});
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.fillStyle = "#222";
      ctx.strokeText(text, box[0] + w / 2, box[1] + 1);
      ctx.fillText(text, box[0] + w / 2, box[1] + 1);
    }
    ctx.restore();
    kg.labels = placed;
  }
  network.on("afterDrawing", drawLabels);

  // ---- Focus and context: a selected node and its neighbours stay, the rest dims.
  function neighbours(id) {
    var out = [];
    Object.keys(current.links).forEach(function (key) {
      var link = current.links[key];
      if (link.from === id) { out.push(link.to); } else if (link.to === id) { out.push(link.from); }
    });
    return out.sort(function (a, b) { return (degree[b] - degree[a]) || (a - b); });
  }
  function applyFocus() {
    var focus = kg.focus, near = {};
    if (focus) {
      near[focus.node] = true;
      focus.neighbours.forEach(function (id) { near[id] = true; });
    }
    var nodeChanges = [];
    ents.forEach(function (n) {
      if (!current.visible[n.id]) { return; }
      var opacity = !focus || near[n.id] ? 1 : 0.15;
      if ((nodes.get(n.id).opacity || 1) !== opacity) { nodeChanges.push({id: n.id, opacity: opacity}); }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    var edgeChanges = [];
    edges.forEach(function (e) {
      var on = !focus || (focus.link ? e.id === focus.link : e.from === focus.node || e.to === focus.node);
      var opacity = !focus ? linkOpacity : on ? 1 : 0.07;
      if (e.color.opacity !== opacity) {
        edgeChanges.push({id: e.id, color: {color: e.color.color, highlight: e.color.highlight,
                                             hover: e.color.hover, opacity: opacity}});
      }
    });
    if (edgeChanges.length) { edges.update(edgeChanges); }
    kg.dimmed = ents.filter(function (n) { return current.visible[n.id] && !near[n.id] && !!focus; }).length;
  }
  function setFocus(id) {
    kg.focus = null;
    if (id !== null && current.visible[id]) {
      var near = neighbours(id), parts = expanded[id] ? ents[id].members.filter(function (m) {
        return current.visible[m] && near.indexOf(m) === -1;
      }) : [];
      kg.focus = {node: id, neighbours: near.concat(parts)};  // an expanded state's parts are its context too
    }
    applyFocus();
    if (kg.focus) { network.selectNodes([id]); } else { network.unselectAll(); }
  }

  // ---- The side panel: a node's or a link's events in time order, with their sentences.
  var panel = $("kg-panel"), panelShows = null, fold = $("kg-panel-fold");
  function parties(ev) {
    if (ev.recipients.length) { return ev.actors.join(", ") + " \u2192 " + ev.recipients.join(", "); }
    return ev.actors.join(" \u2013 ");
  }
  function renderPanel(heading, meta, list) {
    $("kg-panel-title").textContent = heading;
    var metaBox = $("kg-panel-meta"), listBox = $("kg-panel-events");
    clear(metaBox);
    meta.forEach(function (line) { metaBox.appendChild(make("div", "", line)); });
    clear(listBox);
    var visible = list.filter(function (i) { return shown(events[i]); });
    var note = plural(visible.length, "event");
    if (visible.length < list.length) { note += " (" + (list.length - visible.length) + " hidden by the filters)"; }
    $("kg-panel-count").textContent = note;
    visible.forEach(function (i) {
      var ev = events[i], item = make("li", "kg-event"), head = make("div", "kg-event-head");
      head.appendChild(make("span", "kg-event-date", ev.date || "undated"));
      var type = make("span", "kg-event-type",
                      ev.type + (ev.modality === "Asserted" ? "" : " (" + ev.modality.toLowerCase() + ")"));
      type.style.borderColor = ev.color;
      head.appendChild(type);
      item.appendChild(head);
      item.appendChild(make("div", "kg-event-parties", parties(ev)));
      ev.sentences.forEach(function (k) {
        var s = sentences[k];
        item.appendChild(make("blockquote", "kg-sentence", s.text));
        var source = [s.doc, s.title, s.date].filter(function (p) { return p; }).join(", ");
        if (source) { item.appendChild(make("div", "kg-source", source)); }
      });
      listBox.appendChild(item);
    });
    panel.scrollTop = 0;
    if (panel.classList.contains("hidden")) {
      panel.classList.remove("hidden");
      network.setSize("100%", "100%");  // the drawing narrows beside the panel
    }
  }
  function showNode(id) {
    panelShows = function () {
      var n = ents[id];
      fold.classList.toggle("hidden", !(view === "state" && n.members.length));
      fold.textContent = expanded[id] ? "Collapse into the state" : "Expand into its parts";
      if (isState(id)) {
        var kinds = {};
        n.members.forEach(function (m) { kinds[ents[m].kind] = (kinds[ents[m].kind] || 0) + 1; });
        renderPanel(n.name + " (state)", [
          "Folds in " + plural(n.members.length, "entity", "entities") + ": " +
            Object.keys(kinds).sort().map(function (k) { return k + " " + kinds[k]; }).join(", "),
          "Linked to " + plural(degree[id] || 0, "node") + " in this view"], stateEvents[id]);
        return;
      }
      var meta = [n.kind + (n.country ? ", " + n.country : "") + (n.role ? ", " + n.role : "")];
      if (n.state >= 0) { meta.push("State: " + ents[n.state].name); }
      if (n.aliases.length) { meta.push("Also: " + n.aliases.join(", ")); }
      meta.push(plural(n.events, "event") + ": " + n.asActor + " as actor, " + n.asRecipient +
                " as recipient; linked to " + n.partners + (n.partners === 1 ? " entity" : " entities"));
      renderPanel(n.name, meta, nodeEvents[id]);
    };
    kg.panel = {node: id};
    panelShows();
  }
  function showEdge(id) {
    panelShows = function () {
      var link = current.links[id];
      if (!link) { closePanel(); return; }
      fold.classList.add("hidden");
      var kinds = Object.keys(link.kinds).sort().map(function (k) { return k + " " + link.kinds[k].n; });
      var heading = link.forward === link.backward ? nodeName(link.from) + " \u2013 " + nodeName(link.to) :
        link.forward ? nodeName(link.from) + " \u2192 " + nodeName(link.to) :
        nodeName(link.to) + " \u2192 " + nodeName(link.from);  // in the direction its events point
      renderPanel(heading, [kinds.join(", ")], link.events);
    };
    kg.panel = {edge: id};
    panelShows();
  }
  function closePanel() {
    if (!panel.classList.contains("hidden")) {
      panel.classList.add("hidden");
      network.setSize("100%", "100%");
    }
    panelShows = null;
    kg.panel = null;
  }
  function refresh() {
    var focused = kg.focus ? kg.focus.node : null, link = kg.focus ? kg.focus.link : undefined;
    rebuild();
    if (link !== undefined) {
      setFocus(null);
      if (current.links[link]) { kg.focus = {node: current.links[link].from, neighbours: [current.links[link].to],
                                             link: link}; applyFocus(); }
    } else {
      if (focused !== null && !current.visible[focused] && ents[focused].state >= 0) { focused = shownAs(focused); }
      setFocus(focused);
    }
    if (kg.panel && kg.panel.node !== undefined && !current.visible[kg.panel.node]) { closePanel(); }
    if (panelShows) { panelShows(); }
    network.redraw();
  }
  function select(id) {
    setFocus(id);
    showNode(id);
  }
  function expand(id, open) {
    if (open) { expanded[id] = true; } else { delete expanded[id]; }
    refresh();
    select(id);
    if (open) {
      var parts = [id].concat(ents[id].members).filter(function (m) { return current.visible[m]; });
      network.fit({nodes: parts, maxZoomLevel: 1.2, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    }
  }
  $("kg-panel-close").addEventListener("click", function () { closePanel(); setFocus(null); });
  fold.addEventListener("click", function () {
    if (kg.panel && kg.panel.node !== undefined) { expand(kg.panel.node, !expanded[kg.panel.node]); }
  });
  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (isState(id)) { expand(id, true); } else { select(id); }
    } else if (params.edges.length) {
      var link = current.links[params.edges[0]];
      setFocus(null);
      if (link) {  // the link's two ends and the link itself stay, the rest dims
        kg.focus = {node: link.from, neighbours: [link.to], link: link.id};
        applyFocus();
      }
      showEdge(params.edges[0]);
    } else {
      setFocus(null);
      closePanel();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { setFocus(null); closePanel(); }
  });

  // ---- Filters and the view toggle.
  typeBoxes.concat(kindBoxes, [toggle, from, to, country]).forEach(function (input) {
    input.addEventListener("change", refresh);
  });
  toggle.disabled = !events.some(function (ev) { return ev.uncertain; });
  function all(boxes, on) { boxes.forEach(function (box) { box.checked = on; }); refresh(); }
  $("kg-types-all").addEventListener("click", function () { all(typeBoxes, true); });
  $("kg-types-none").addEventListener("click", function () { all(typeBoxes, false); });
  $("kg-kinds-all").addEventListener("click", function () { all(kindBoxes, true); });
  viewBox.value = view;
  viewBox.disabled = !data.states;
  viewBox.addEventListener("change", function () {
    view = viewBox.value;
    expanded = {};
    nodes.update(ents.map(function (n) {
      return {id: n.id, x: view === "state" ? n.sx : n.x, y: view === "state" ? n.sy : n.y};
    }));
    refresh();
    network.fit({animation: false});
  });

  // ---- Search: the first entity whose name or alias is the query, else contains it.
  var names = $("kg-names");
  ents.forEach(function (n) {
    var option = document.createElement("option");
    option.value = n.name;
    names.appendChild(option);
  });
  var search = $("kg-search"), status = $("kg-search-status");
  function find(query) {
    var q = query.trim().toLowerCase(), exact = null, partial = null;
    if (!q) { return null; }
    ents.forEach(function (n) {
      var every = [n.name].concat(n.aliases || []).map(function (s) { return s.toLowerCase(); });
      if (exact === null && every.indexOf(q) !== -1) { exact = n; }
      if (partial === null && every.some(function (s) { return s.indexOf(q) !== -1; })) { partial = n; }
    });
    return exact || partial;
  }
  function go() {
    var n = find(search.value);
    if (!n) {
      status.textContent = search.value.trim() ? "no match" : "";
      setFocus(null);
      return;
    }
    var id = n.id, shownId = shownAs(id);
    if (shownId !== id) { expanded[shownId] = true; refresh(); }
    if (!current.visible[id]) {
      status.textContent = n.name + ": no link in these filters";
      setFocus(null);
      showNode(id);
      return;
    }
    status.textContent = "";
    select(id);
    network.focus(id, {scale: Math.max(network.getScale(), 1),
                       animation: {duration: 400, easingFunction: "easeInOutQuad"}});
  }
  search.addEventListener("change", go);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); go(); }
  });

  // ---- Re-run layout: a bounded physics run from the current positions, then physics off again.
  var relayout = $("kg-relayout"), timer = null;
  function stopPhysics() {
    if (timer === null) { return; }
    clearTimeout(timer);
    timer = null;
    network.setOptions({physics: {enabled: false}});
    relayout.disabled = false;
    relayout.textContent = "Re-run layout";
    kg.layouts += 1;
  }
  network.on("stabilizationIterationsDone", stopPhysics);
  relayout.addEventListener("click", function () {
    if (timer !== null) { return; }
    var iterations = ents.length > 1000 ? 100 : 250;
    relayout.disabled = true;
    relayout.textContent = "Laying out\u2026";
    timer = setTimeout(stopPhysics, 20000);
    network.setOptions({physics: {
      enabled: true, solver: "barnesHut", minVelocity: 1,
      barnesHut: {gravitationalConstant: -3000, centralGravity: 0.2, springLength: 110, avoidOverlap: 0.3},
      stabilization: {enabled: true, iterations: iterations, updateInterval: 50, fit: true}
    }});
    network.stabilize(iterations);
  });

  kg.select = function (id) { select(id); };
  kg.ready = true;
})();
