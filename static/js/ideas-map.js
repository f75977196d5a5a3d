/* Maps of the ideas app: the clustered overview (#ideas-map) and the location picker
   (#location-picker). Both are extras: the list and the coordinate fields work without them. */
(function () {
  "use strict";
  if (typeof L === "undefined" || !window.GeraMap) { return; }
  var escapeHtml = window.GeraMap.escapeHtml;

  var overview = document.getElementById("ideas-map");
  if (overview) {
    var map = window.GeraMap.create(overview, 12);
    var clusters = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup() : L.layerGroup();
    var serverCells = L.layerGroup();
    clusters.addTo(map);
    serverCells.addTo(map);
    // Markers are kept by their idea's address between loads: a reload after a pan (which an
    // opening popup causes itself) adds and removes only what changed, so the marker that
    // holds the open popup, and the keyboard focus on it, survive.
    var markers = {};
    var pending = null;
    var load = function () {
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
        return Math.max(-180, Math.min(180, v)).toFixed(5);
      }).join(",");
      var url = overview.dataset.geojsonUrl + "?bbox=" + bbox + (overview.dataset.query ? "&" + overview.dataset.query : "");
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url, { signal: pending.signal, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          serverCells.clearLayers();
          var seen = {};
          (data.features || []).forEach(function (f) {
            var c = f.geometry.coordinates;
            var latlng = [c[1], c[0]];
            if (f.properties.count) {
              var icon = L.divIcon({ html: "<span>" + f.properties.count + "</span>", className: "marker-cluster marker-cluster-medium", iconSize: [40, 40] });
              L.marker(latlng, { icon: icon, keyboard: true, title: String(f.properties.count) })
                .on("click", function () { map.setView(latlng, map.getZoom() + 2); })
                .addTo(serverCells);
              return;
            }
            var key = f.properties.url;
            seen[key] = true;
            if (!markers[key]) {
              markers[key] = L.marker(latlng, { title: f.properties.title })
                .bindPopup('<a href="' + encodeURI(f.properties.url) + '">' + escapeHtml(f.properties.title) + "</a>");
              clusters.addLayer(markers[key]);
            }
          });
          Object.keys(markers).forEach(function (key) {
            if (!seen[key] && !markers[key].isPopupOpen()) {
              clusters.removeLayer(markers[key]);
              delete markers[key];
            }
          });
        })
        .catch(function () { /* aborted or offline: the list remains */ });
    };
    map.on("moveend", load);
    load();
  }

  var picker = document.getElementById("location-picker");
  if (picker) {
    var lat = document.getElementById("id_latitude");
    var lng = document.getElementById("id_longitude");
    var pickMap = window.GeraMap.create(picker, 12);
    var marker = null;
    var place = function (latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(pickMap); }
    };
    if (lat && lng && lat.value && lng.value) {
      var start = [parseFloat(lat.value), parseFloat(lng.value)];
      place(start);
      pickMap.setView(start, 15);
    }
    var status = document.getElementById("location-picker-status");
    var pin = function (latlng) {
      place(latlng);
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      if (status) { status.textContent = (status.dataset.template || "") + " " + lat.value + ", " + lng.value; }
    };
    pickMap.on("click", function (event) { pin(event.latlng); });
    // Keyboard users move the map with the arrow keys (the map takes focus) and set the pin
    // where the map's centre is; the click is for the mouse only.
    var centre = document.getElementById("location-picker-centre");
    if (centre) {
      centre.hidden = false;
      centre.addEventListener("click", function () { pin(pickMap.getCenter()); });
    }
    [lat, lng].forEach(function (input) {
      input && input.addEventListener("change", function () {
        var a = parseFloat(lat.value), b = parseFloat(lng.value);
        if (!isNaN(a) && !isNaN(b)) { place([a, b]); pickMap.panTo([a, b]); }
      });
    });
  }
})();
