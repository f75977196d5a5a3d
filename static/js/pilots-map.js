/* The map of pilot projects (#pilots-map). An extra: the list beside it has the same content. */
(function () {
  "use strict";
  if (typeof L === "undefined" || !window.GeraMap) { return; }
  var element = document.getElementById("pilots-map");
  if (!element) { return; }
  var map = window.GeraMap.create(element, 12);
  var escapeHtml = window.GeraMap.escapeHtml;
  var url = element.dataset.geojsonUrl + (element.dataset.query ? "?" + element.dataset.query : "");
  fetch(url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ maxClusterRadius: 30 }) : L.layerGroup();
      (data.features || []).forEach(function (f) {
        var c = f.geometry.coordinates;
        L.marker([c[1], c[0]], { title: f.properties.title })
          .bindPopup('<a href="' + encodeURI(f.properties.url) + '">' + escapeHtml(f.properties.title) + "</a><br>" + escapeHtml(f.properties.status))
          .addTo(layer);
      });
      layer.addTo(map);
    })
    .catch(function () { /* offline: the list remains */ });
})();
