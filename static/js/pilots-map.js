/* The map of pilot projects (#pilots-map). An extra: the list beside it has the same content. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var element = document.getElementById("pilots-map");
  if (!element) { return; }
  var map = L.map(element, { scrollWheelZoom: false }).setView([50.88, 12.08], 12);
  L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.attribution || "", maxZoom: 19 }).addTo(map);

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  var url = element.dataset.geojsonUrl + (element.dataset.query ? "?" + element.dataset.query : "");
  fetch(url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      (data.features || []).forEach(function (f) {
        var c = f.geometry.coordinates;
        L.marker([c[1], c[0]], { title: f.properties.title })
          .bindPopup('<a href="' + encodeURI(f.properties.url) + '">' + escapeHtml(f.properties.title) + "</a><br>" + escapeHtml(f.properties.status))
          .addTo(map);
      });
    })
    .catch(function () { /* offline: the list remains */ });
})();
