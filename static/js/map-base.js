/* The portal's base map, shared by every map. With a tile server configured (MAP_TILE_URL) it
   shows its tiles; without one it still works: a neutral background with the districts named at
   their places (from our District table) and a scale, so markers can be read and placed. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var GERA = [50.88, 12.09];

  function districtLabels(map, url) {
    var layer = L.layerGroup().addTo(map);
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        (data.features || []).forEach(function (f) {
          var c = f.geometry.coordinates;
          var label = document.createElement("span");
          label.textContent = f.properties.name;
          var icon = L.divIcon({
            className: "map-district-label" + (f.properties.part ? " map-district-part" : ""),
            html: label.outerHTML,
            iconSize: null
          });
          // Labels are background, not content: not focusable, not announced, not clickable.
          L.marker([c[1], c[0]], { icon: icon, interactive: false, keyboard: false }).addTo(layer);
        });
      })
      .catch(function () { /* the markers and the list remain */ });
    return layer;
  }

  window.GeraMap = {
    create: function (element, zoom) {
      // maxZoom on the map itself: without a tile layer nothing else sets it, and the marker
      // clusters refuse to start without one ("Map has no maxZoom specified").
      var map = L.map(element, { scrollWheelZoom: false, maxZoom: 19 }).setView(GERA, zoom);
      if (element.dataset.tileUrl) {
        L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.attribution || "", maxZoom: 19 }).addTo(map);
      } else {
        element.classList.add("map-neutral");
        map.attributionControl.setPrefix(false);
      }
      if (!element.dataset.tileUrl && element.dataset.districtsUrl) { districtLabels(map, element.dataset.districtsUrl); }
      L.control.scale({ imperial: false }).addTo(map);
      return map;
    },
    escapeHtml: function (text) {
      var div = document.createElement("div");
      div.textContent = text;
      return div.innerHTML;
    }
  };
})();
