// armstrace: interactive drawings over the server's SVG.
//
// Every page works without scripts: the server draws the maps and the
// connections diagram as SVG. When scripts run, this file loads the
// vendored Leaflet and Cytoscape.js (only on pages that have something
// for them) and puts an interactive drawing in place of the static one:
// a map that pans and zooms over the bundled Natural Earth outlines, and
// a diagram whose nodes can be dragged and followed. The static drawing
// stays in the page, hidden, so that printing and copying still work
// from the server's version if anything here fails.
(function () {
  "use strict";

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el[k] = attrs[k]; });
      el.onload = resolve;
      el.onerror = function () { reject(new Error("could not load " + (attrs.src || attrs.href))); };
      document.head.appendChild(el);
    });
  }

  var loaded = {};
  function once(key, fn) {
    if (!loaded[key]) loaded[key] = fn();
    return loaded[key];
  }

  function leaflet() {
    return once("leaflet", function () {
      return Promise.all([
        load("link", { rel: "stylesheet", href: "/static/vendor/leaflet/leaflet.css" }),
        load("script", { src: "/static/vendor/leaflet/leaflet.js" }),
      ]);
    });
  }

  function cytoscapeLib() {
    return once("cytoscape", function () {
      // Cytoscape adds an inline <style> unless an element with this id
      // exists; the policy refuses inline styles, so the same rule comes
      // from a file under that id.
      return load("link", { rel: "stylesheet", id: "__________cytoscape_stylesheet", href: "/static/cytoscape-container.css" }).then(function () {
        return load("script", { src: "/static/vendor/cytoscape/cytoscape.min.js" });
      });
    });
  }

  function outlines() {
    return once("outlines", function () {
      return fetch("/geo/countries.json", { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("country outlines: HTTP " + r.status);
        return r.json();
      });
    });
  }

  // The figure's static drawing is hidden once the live one is drawn;
  // on any failure it stays, and the reason goes to the console.
  function replace(fig, draw) {
    var box = document.createElement("div");
    box.className = "live";
    fig.insertBefore(box, fig.firstChild);
    return draw(box).then(function () {
      fig.classList.add("enhanced");
    }).catch(function (err) {
      box.remove();
      console.error("armstrace: the interactive drawing failed, the static one stays:", err);
    });
  }

  function drawMap(fig) {
    var events = JSON.parse(fig.dataset.events || "[]");
    if (!events.length) return;
    replace(fig, function (box) {
      box.classList.add("live-map");
      return Promise.all([leaflet(), outlines()]).then(function (res) {
        var L = window.L, world = res[1];
        var bounds = L.latLngBounds(events.map(function (e) { return L.latLng(e.lat, e.lon).toBounds(e.km * 2000); }).reduce(function (acc, b) { return acc.concat([b.getSouthWest(), b.getNorthEast()]); }, []));
        var map = L.map(box, { attributionControl: true, worldCopyJump: false, zoomSnap: 0.25 });
        map.fitBounds(bounds.pad(1.5), { maxZoom: 8 });
        map.attributionControl.setPrefix(false);
        map.attributionControl.addAttribution("Outlines: Natural Earth 1:50m");
        L.geoJSON(world, {
          style: { color: "#b5aa94", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
          interactive: false,
        }).addTo(map);
        events.forEach(function (e) {
          var at = L.latLng(e.lat, e.lon);
          var area = L.circle(at, {
            radius: e.km * 1000, color: "#8b1a1a", weight: 1, opacity: 0.6,
            fillColor: "#8b1a1a", fillOpacity: 0.15, className: "event-area precision-" + e.precision,
          }).addTo(map);
          var dot = L.circleMarker(at, {
            radius: 4, color: "#8b1a1a", weight: 1, fillOpacity: 1, className: "event-dot",
          }).addTo(map);
          var link = document.createElement("a");
          link.href = "/events/" + encodeURIComponent(e.id);
          link.textContent = e.title;
          var note = document.createElement("div");
          note.appendChild(link);
          var p = document.createElement("div");
          p.className = "meta";
          p.textContent = "location precision: " + e.precision + ", within about " + e.km + " km";
          note.appendChild(p);
          dot.bindPopup(note);
          area.bindPopup(note);
        });
        L.control.scale({ imperial: false }).addTo(map);
      });
    });
  }

  function drawNetwork(fig) {
    var els = JSON.parse(fig.dataset.graph || "[]");
    if (els.length < 2) return;
    replace(fig, function (box) {
      box.classList.add("live-network");
      return cytoscapeLib().then(function () {
        var cy = window.cytoscape({
          container: box,
          elements: els,
          style: [
            { selector: "node", style: {
              "shape": "round-rectangle", "label": "data(label)", "text-valign": "center", "text-halign": "center",
              "width": function (n) { return Math.max(40, n.data("label").length * 6.4); }, "height": 26, "padding": "6px", "font-size": 11, "color": "#222",
              "background-color": "#f6f6f6", "border-width": 1, "border-color": "#999",
            } },
            { selector: "node[?center]", style: { "background-color": "#fbe9e7", "border-color": "#8b1a1a", "border-width": 2 } },
            { selector: "node[href]", style: { "color": "#0b4f8a" } },
            { selector: "edge", style: {
              "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1.3,
              "line-color": "#777", "target-arrow-color": "#777", "label": "data(label)",
              "font-size": 9, "color": "#555", "text-rotation": "autorotate", "text-background-color": "#fff",
              "text-background-opacity": 0.8, "text-background-padding": "1px",
            } },
          ],
          layout: { name: "concentric", concentric: function (n) { return n.data("center") ? 2 : 1; }, levelWidth: function () { return 1; }, minNodeSpacing: 12, spacingFactor: 0.7, padding: 20, animate: false },
        });
        cy.on("tap", "node[href]", function (ev) { window.location.href = ev.target.data("href"); });
        box.dataset.nodes = String(cy.nodes().length);
        box.dataset.edges = String(cy.edges().length);
      });
    });
  }

  function start() {
    document.querySelectorAll("figure.map[data-events]").forEach(drawMap);
    document.querySelectorAll("figure#network[data-graph]").forEach(drawNetwork);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
