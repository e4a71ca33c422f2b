/* ผังชุมชน field app: mark housing need on a phone, online or not.
 * Drafts and the outbox live in IndexedDB; each form carries the id the server uses for
 * idempotency, so sending it again after a lost answer stores one report. */
"use strict";
(function () {
  const CFG = JSON.parse(document.getElementById("cfg").textContent);
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");

  // --- language ---------------------------------------------------------------------------
  const T = {
    title: ["แจ้งความเดือดร้อนที่อยู่อาศัย", "Report housing need"],
    insecure: ["การเชื่อมต่อนี้ไม่ปลอดภัย (HTTP) จึงใช้งานแบบออฟไลน์และ “ตำแหน่งของฉัน” ไม่ได้ แต่ยังแจ้งเรื่องได้ตามปกติ",
      "This connection is not secure (HTTP): offline use and “my location” are unavailable, but you can still report."],
    where: ["1. หาตำแหน่งชุมชน", "1. Find the community"],
    locate: ["ใช้ตำแหน่งของฉัน", "Use my location"],
    searchLabel: ["ค้นหาสถานที่", "Find a place"],
    searchPh: ["ชื่อตำบล อำเภอ หรือจังหวัด", "Tambon, amphoe or province"],
    search: ["ค้นหา", "Search"],
    mark: ["2. ปักหมุดหรือวาดพื้นที่", "2. Drop a pin or draw the area"],
    mapLabel: ["แผนที่", "Map"],
    toolPoint: ["ปักหมุด", "Pin"], toolPoly: ["วาดพื้นที่", "Draw area"], toolUndo: ["ย้อนกลับ", "Undo"],
    toolDone: ["เสร็จ", "Finish"], toolClear: ["ล้าง", "Clear"],
    hintPoint: ["แตะแผนที่ตรงที่ตั้งชุมชน", "Tap the map where the community is"],
    hintPoly: ["แตะแผนที่ทีละจุดรอบพื้นที่ แล้วกด “เสร็จ” หรือแตะจุดแรก", "Tap the map point by point around the area, then press “Finish” or tap the first point"],
    hintMore: ["ต้องมีอย่างน้อย 3 จุด", "At least 3 points are needed"],
    form: ["3. รายละเอียด", "3. Details"],
    community: ["ชื่อชุมชน *", "Community name *"],
    households: ["จำนวนครัวเรือนที่เดือดร้อน *", "Households affected *"],
    problems: ["ปัญหา (เลือกได้หลายข้อ) *", "Problems (choose any) *"],
    urgency: ["ความเร่งด่วน *", "Urgency *"],
    landowner: ["เจ้าของที่ดิน (ถ้าทราบ)", "Landowner (if known)"],
    description: ["รายละเอียด", "Description"],
    contact: ["ข้อมูลติดต่อ (ไม่บังคับ เห็นเฉพาะผู้ประสานงาน)", "Contact (optional, seen by coordinators only)"],
    contactName: ["ชื่อผู้ติดต่อ", "Contact name"], contactPhone: ["เบอร์โทรศัพท์", "Phone"], contactNote: ["หมายเหตุ", "Note"],
    send: ["ส่งคำร้อง", "Send report"],
    outbox: ["คำร้องของฉัน", "My reports"],
    outboxEmpty: ["ยังไม่มีคำร้องในเครื่องนี้", "No reports on this phone yet"],
    account: ["บัญชี", "Account"], username: ["ชื่อผู้ใช้", "Username"], password: ["รหัสผ่าน", "Password"],
    signIn: ["เข้าสู่ระบบ", "Sign in"], signOut: ["ออกจากระบบ", "Sign out"],
    online: ["ออนไลน์", "Online"], offline: ["ออฟไลน์", "Offline"],
    waitingN: ["รอส่ง {n}", "{n} waiting"],
    zoomIn: ["ขยาย", "Zoom in"], zoomOut: ["ย่อ", "Zoom out"],
    osm: ["© ผู้ร่วมให้ข้อมูล OpenStreetMap", "© OpenStreetMap contributors"],
    accuracy: ["ตำแหน่งของคุณ ความแม่นยำ ± {m} ม.", "Your location, accurate to ± {m} m"],
    locating: ["กำลังหาตำแหน่ง…", "Finding your location…"],
    noGeo: ["หาตำแหน่งไม่ได้: {why}", "Cannot find your location: {why}"],
    geoDenied: ["ไม่ได้รับอนุญาตให้ใช้ตำแหน่ง", "permission denied"],
    geoOther: ["ลองใหม่ในที่โล่ง หรือค้นหาชื่อสถานที่แทน", "try again in the open, or search for the place"],
    geoInsecure: ["ต้องใช้การเชื่อมต่อที่ปลอดภัย (HTTPS)", "a secure (HTTPS) connection is needed"],
    areaIs: ["พื้นที่ในเครื่อง: {a} {p} · {n} หมู่บ้าน", "Area on this phone: {a}, {p} · {n} villages"],
    areaNone: ["ยังไม่ได้เลือกพื้นที่: ใช้ตำแหน่งของฉันหรือค้นหา เพื่อเก็บแผนที่ตำบลไว้ใช้ออฟไลน์", "No area yet: use your location or search, to keep the tambon map for offline use"],
    areaLoading: ["กำลังโหลดแผนที่พื้นที่…", "Loading the area map…"],
    pickAmphoe: ["เลือกอำเภอ", "Choose the amphoe"],
    noPlace: ["ไม่พบสถานที่นี้ ลองสะกดใหม่", "No such place; try another spelling"],
    needOnline: ["ต้องต่ออินเทอร์เน็ตเพื่อค้นหา", "Searching needs a connection"],
    pinAt: ["ปักหมุดแล้ว", "Pin dropped"],
    areaDrawn: ["วาดพื้นที่แล้ว {a}", "Area drawn: {a}"],
    tambonCached: ["ตำบล{t} อำเภอ{a} (จากแผนที่ในเครื่อง ระบบจะตรวจอีกครั้งเมื่อส่ง)", "Tambon {t}, {a} (from the map on this phone; checked again when sent)"],
    tambonUnknown: ["ยังไม่ทราบตำบล ระบบจะระบุให้เมื่อส่ง", "Tambon not known here yet; the server names it when sent"],
    unitRai: ["{r} ไร่ {g} งาน {w} ตารางวา ({m} ตร.ม.)", "{r} rai {g} ngan {w} sq. wa ({m} m²)"],
    savedLocal: ["เก็บคำร้องไว้ในเครื่องแล้ว จะส่งให้อัตโนมัติเมื่อมีสัญญาณ", "Report kept on this phone; it is sent automatically when there is a signal"],
    savedServer: ["บันทึกคำร้องแล้ว เลขรับเรื่อง {r} · ต.{t} อ.{a} จ.{p}", "Report saved. Receipt {r} · {t}, {a}, {p}"],
    already: ["คำร้องนี้บันทึกไว้แล้ว เลขรับเรื่อง {r}", "This report was already saved. Receipt {r}"],
    stWaiting: ["รอส่ง", "Waiting to send"], stSent: ["ส่งแล้ว", "Sent"], stRefused: ["ส่งไม่ผ่าน", "Not accepted"],
    fix: ["แก้ไข", "Fix"], households_n: ["{n} ครัวเรือน", "{n} households"],
    fixThis: ["แก้ไขช่องที่มีเครื่องหมายสีแดงแล้วกดส่งอีกครั้ง", "Correct the fields marked in red and send again"],
    eName: ["กรุณากรอกชื่อชุมชน", "Give the community's name."],
    eHouse: ["จำนวนครัวเรือนต้องเป็นจำนวนเต็ม 1 ถึง 10,000", "Households affected must be a whole number from 1 to 10,000."],
    eProb: ["กรุณาเลือกปัญหาอย่างน้อยหนึ่งข้อ", "Choose at least one problem."],
    eUrg: ["กรุณาเลือกระดับความเร่งด่วน", "Choose the urgency."],
    eGeom: ["ยังไม่ได้ปักหมุดหรือวาดพื้นที่บนแผนที่", "Nothing is marked on the map yet: drop a pin or draw an area."],
    ePhone: ["เบอร์โทรศัพท์ใช้ได้เฉพาะตัวเลข เว้นวรรค + - และวงเล็บ", "The phone number may hold only digits, spaces, +, - and brackets."],
    signedAs: ["เข้าสู่ระบบเป็น {n}", "Signed in as {n}"],
    anon: ["ไม่ได้เข้าสู่ระบบ (แจ้งเรื่องได้โดยไม่ต้องเข้าสู่ระบบ)", "Not signed in (you can report without signing in)"],
    netFail: ["ติดต่อเซิร์ฟเวอร์ไม่ได้ ลองอีกครั้งเมื่อมีสัญญาณ", "Cannot reach the server; try again when there is a signal"],
  };
  let LANG = localStorage.getItem("phang-lang") === "en" ? "en" : "th";
  const LI = () => (LANG === "th" ? 0 : 1);
  function t(key, vars) {
    let s = (T[key] || [key, key])[LI()];
    for (const k in vars || {}) s = s.split("{" + k + "}").join(vars[k]);
    return s;
  }
  const pick = (pair) => (Array.isArray(pair) ? pair[LI()] : pair);

  function applyLang() {
    document.documentElement.lang = LANG;
    document.querySelectorAll("[data-t]").forEach((el) => (el.textContent = t(el.dataset.t)));
    document.querySelectorAll("[data-tp]").forEach((el) => (el.placeholder = t(el.dataset.tp)));
    document.querySelectorAll("[data-ta]").forEach((el) => el.setAttribute("aria-label", t(el.dataset.ta)));
    $("lang").textContent = LANG === "th" ? "EN" : "ไทย";
    $("lang").lang = LANG === "th" ? "en" : "th";
    document.title = "ผังชุมชน · " + t("title");
    renderOptions();
    if (map) {
      zoom.getContainer().querySelector(".leaflet-control-zoom-in").title = t("zoomIn");
      zoom.getContainer().querySelector(".leaflet-control-zoom-out").title = t("zoomOut");
      if (tiles) { map.attributionControl.removeAttribution(tiles.options.attribution); tiles.options.attribution = t("osm"); map.attributionControl.addAttribution(t("osm")); }
      drawLabels();
    }
    showShape(); renderNet(); renderOutbox(); renderArea(); renderWho(); renderHints();
    if (lastErrors) showErrors(lastErrors);
    if (lastSent) $("sent").textContent = sentText(lastSent);
  }

  // --- IndexedDB: outbox (one row per form id) and key-value (draft, area, user) -------
  const DB = (function () {
    let opening = null;
    function open() {
      if (!opening) opening = new Promise((res, rej) => {
        const r = indexedDB.open("phang-field", 1);
        r.onupgradeneeded = () => { r.result.createObjectStore("outbox", { keyPath: "form_id" }); r.result.createObjectStore("kv"); };
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      return opening;
    }
    async function run(store, mode, fn) {
      const db = await open();
      return new Promise((res, rej) => {
        const tx = db.transaction(store, mode);
        const req = fn(tx.objectStore(store));
        tx.oncomplete = () => res(req ? req.result : undefined);
        tx.onerror = () => rej(tx.error);
      });
    }
    return {
      get: (s, k) => run(s, "readonly", (o) => o.get(k)),
      put: (s, v, k) => run(s, "readwrite", (o) => (k === undefined ? o.put(v) : o.put(v, k))),
      del: (s, k) => run(s, "readwrite", (o) => o.delete(k)),
      all: (s) => run(s, "readonly", (o) => o.getAll()),
    };
  })();

  function newFormId() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return btoa(String.fromCharCode.apply(null, b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // --- the map and the drawing tool -------------------------------------------------------
  let map = null, zoom = null, tiles = null, overviewLayer = null, areaLayer = null, labels = null;
  let area = null, overview = null, mode = null, vertices = [], shape = null, drawLayer = null, youLayer = null;

  function initMap() {
    map = L.map("map", { zoomControl: false, tap: true, minZoom: 5, maxZoom: 18 }).setView([13.2, 101.0], 5);
    zoom = L.control.zoom({ zoomInTitle: t("zoomIn"), zoomOutTitle: t("zoomOut") }).addTo(map);
    map.attributionControl.setPrefix("Leaflet");
    if (CFG.basemap) tiles = L.tileLayer(CFG.basemap, { maxZoom: 19, attribution: t("osm") }).addTo(map);
    labels = L.layerGroup().addTo(map);
    drawLayer = L.layerGroup().addTo(map);
    youLayer = L.layerGroup().addTo(map);
    map.on("click", onMapClick);
    map.on("zoomend moveend", drawLabels);
  }

  function drawOverview(fc) {
    overview = fc;
    if (overviewLayer) overviewLayer.remove();
    overviewLayer = L.geoJSON(fc, { style: { color: "#78716c", weight: 1, fill: false }, interactive: false }).addTo(map);
    overviewLayer.bringToBack();
    document.documentElement.dataset.outlines = "1"; if (performance.mark) performance.mark("phang-outlines");
    drawLabels();
  }

  function drawArea(pack) {
    area = pack;
    if (areaLayer) areaLayer.remove();
    areaLayer = L.layerGroup([
      L.geoJSON(pack.amphoes, { style: { color: "#9a3412", weight: 2, fill: false }, interactive: false }),
      L.geoJSON(pack.tambons, { style: { color: "#15803d", weight: 1.5, fillColor: "#bbf7d0", fillOpacity: 0.15 }, interactive: false }),
    ]).addTo(map);
    renderArea();
    drawLabels();
  }

  function label(lonlat, text, cls) {
    return L.marker([lonlat[1], lonlat[0]], {
      icon: L.divIcon({ className: "", html: '<span class="lbl ' + cls + '">' + esc(text) + "</span>", iconSize: null }),
      interactive: false, keyboard: false,
    });
  }

  // names are labels (a touch screen has no hover); which ones depends on the zoom
  function drawLabels() {
    if (!map || !labels) return;
    labels.clearLayers();
    const z = map.getZoom(), view = map.getBounds().pad(0.1), name = (p) => (LANG === "th" ? p.th : p.en);
    const inView = (ll) => view.contains([ll[1], ll[0]]);
    if (overview && z >= 6 && z < 9 && !area) {
      overview.features.forEach((f) => f.properties.label && inView(f.properties.label) && labels.addLayer(label(f.properties.label, name(f.properties), "a")));
    }
    if (area) {
      if (z >= 8 && z < 12) area.amphoes.features.forEach((f) => f.properties.label && inView(f.properties.label) && labels.addLayer(label(f.properties.label, name(f.properties), "a")));
      if (z >= 11) area.tambons.features.forEach((f) => f.properties.label && inView(f.properties.label) && labels.addLayer(label(f.properties.label, name(f.properties), "t")));
      if (z >= 13) {
        const c = map.getCenter();
        area.villages
          .filter((v) => inView(v))
          .map((v) => [(v[0] - c.lng) ** 2 + (v[1] - c.lat) ** 2, v])
          .sort((a, b) => a[0] - b[0]).slice(0, 40)
          .forEach(([, v]) => {
            labels.addLayer(L.circleMarker([v[1], v[0]], { radius: 4, color: "#1e3a8a", weight: 2, fillOpacity: 1, interactive: false }));
            labels.addLayer(label(v, v[2], "v"));
          });
      }
    }
  }

  function setMode(m) {
    mode = mode === m ? null : m;
    if (mode === "poly") { shape = null; vertices = []; }
    $("t-point").classList.toggle("on", mode === "point");
    $("t-poly").classList.toggle("on", mode === "poly");
    $("t-point").setAttribute("aria-pressed", mode === "point");
    $("t-poly").setAttribute("aria-pressed", mode === "poly");
    hintKey = mode === "point" ? "hintPoint" : mode === "poly" ? "hintPoly" : null;
    renderHints();
    redraw();
  }

  function onMapClick(e) {
    const p = [round6(e.latlng.lng), round6(e.latlng.lat)];
    if (mode === "point") { setShape({ type: "Point", coordinates: p }); setMode(null); }
    else if (mode === "poly") { vertices.push(p); redraw(); }
  }
  const round6 = (x) => Math.round(x * 1e6) / 1e6;

  function finishPolygon() {
    if (vertices.length < 3) { hintKey = "hintMore"; renderHints(); return; }
    setShape({ type: "Polygon", coordinates: [vertices.concat([vertices[0]])] });
    vertices = []; mode = null; setMode(null);
  }

  function setShape(geom) { shape = geom; clearErr("geometry"); redraw(); showShape(); saveDraft(); }

  function redraw() {
    drawLayer.clearLayers();
    if (shape && shape.type === "Point") {
      drawLayer.addLayer(L.marker([shape.coordinates[1], shape.coordinates[0]], { icon: L.divIcon({ className: "", html: '<div class="pin"></div>', iconSize: null }), interactive: false }));
    } else if (shape) {
      drawLayer.addLayer(L.polygon(shape.coordinates[0].map((c) => [c[1], c[0]]), { color: "#dc2626", weight: 3, fillOpacity: 0.2, interactive: false }));
    }
    if (vertices.length) {
      drawLayer.addLayer(L.polyline(vertices.map((c) => [c[1], c[0]]), { color: "#dc2626", weight: 3, dashArray: "6 6", interactive: false }));
      vertices.forEach((c, i) => {
        const m = L.marker([c[1], c[0]], { icon: L.divIcon({ className: "", html: '<div class="vx' + (i === 0 ? " first" : "") + '"></div>', iconSize: [24, 24] }) });
        if (i === 0) m.on("click", (ev) => { L.DomEvent.stop(ev); finishPolygon(); });
        drawLayer.addLayer(m);
      });
    }
    $("t-undo").disabled = !vertices.length;
    $("t-done").disabled = vertices.length < 3;
    $("t-clear").disabled = !shape && !vertices.length;
  }

  // geodesic area on the sphere (m²)
  function areaM2(ring) {
    const R = 6378137, rad = Math.PI / 180;
    let s = 0;
    for (let i = 0; i < ring.length - 1; i++) {
      const [x1, y1] = ring[i], [x2, y2] = ring[i + 1];
      s += (x2 - x1) * rad * (2 + Math.sin(y1 * rad) + Math.sin(y2 * rad));
    }
    return Math.abs((s * R * R) / 2);
  }
  function thaiUnits(m2) {
    const rai = Math.floor(m2 / 1600), ngan = Math.floor((m2 % 1600) / 400), wa = Math.round((m2 % 400) / 4);
    return t("unitRai", { r: rai.toLocaleString(), g: ngan, w: wa, m: Math.round(m2).toLocaleString() });
  }
  function inRing(x, y, ring) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  function inGeom(x, y, g) {
    const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    return polys.some((p) => inRing(x, y, p[0]) && !p.slice(1).some((h) => inRing(x, y, h)));
  }
  function cachedTambon(geom) {
    if (!area || !geom) return null;
    let x, y;
    if (geom.type === "Point") [x, y] = geom.coordinates;
    else { const r = geom.coordinates[0].slice(0, -1); x = r.reduce((a, c) => a + c[0], 0) / r.length; y = r.reduce((a, c) => a + c[1], 0) / r.length; }
    const f = area.tambons.features.find((ft) => inGeom(x, y, ft.geometry));
    return f ? f.properties : null;
  }
  function showShape() {
    const el = $("shape");
    if (!shape) { el.textContent = ""; return; }
    const where = cachedTambon(shape);
    const place = where ? t("tambonCached", { t: LANG === "th" ? where.th : where.en, a: LANG === "th" ? area.amphoe.th : area.amphoe.en }) : t("tambonUnknown");
    el.textContent = (shape.type === "Point" ? t("pinAt") : t("areaDrawn", { a: thaiUnits(areaM2(shape.coordinates[0])) })) + " · " + place;
  }

  // --- where am I: geolocation, search, the area pack --------------------------------------
  let geoState = null, hintKey = null;  // what the location line and the tool hint say
  function renderHints() {
    $("tool-hint").textContent = hintKey ? t(hintKey) : "";
    const g = geoState;
    $("accuracy").textContent = !g ? "" : g.m != null ? t("accuracy", { m: g.m }) : g.why ? t("noGeo", { why: t(g.why) }) : t("locating");
  }
  function locateMe() {
    const show = (state) => { geoState = state; renderHints(); };
    if (!window.isSecureContext || !navigator.geolocation) { show({ why: "geoInsecure" }); return; }
    show({});
    navigator.geolocation.getCurrentPosition((pos) => {
      const { latitude: lat, longitude: lon, accuracy } = pos.coords;
      show({ m: Math.round(accuracy) });
      youLayer.clearLayers();
      youLayer.addLayer(L.circle([lat, lon], { radius: accuracy, color: "#1d4ed8", weight: 1, fillOpacity: 0.1, interactive: false }));
      map.setView([lat, lon], Math.max(map.getZoom(), 16));
      setShape({ type: "Point", coordinates: [round6(lon), round6(lat)] });
      if (!cachedTambon(shape) && navigator.onLine) {
        getJSON("/field/api/locate?lon=" + lon + "&lat=" + lat).then((r) => r.place && loadArea(r.place.amphoe_pcode)).catch(() => {});
      }
    }, (err) => {
      show({ why: err.code === 1 ? "geoDenied" : "geoOther" });
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  }

  async function getJSON(url, opts) {
    const r = await fetch(url, Object.assign({ credentials: "same-origin" }, opts || {}));
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) { const err = new Error("http " + r.status); err.status = r.status; err.body = body; throw err; }
    return body;
  }

  async function loadArea(amphoe) {
    $("area").textContent = t("areaLoading");
    try {
      const pack = await getJSON("/field/api/area/" + encodeURIComponent(amphoe) + "?v=" + encodeURIComponent(CFG.build));
      await DB.put("kv", pack, "area");
      drawArea(pack);
      showShape();
    } catch (e) { renderArea(); }
  }

  function renderArea() {
    $("area").textContent = area ? t("areaIs", { a: (LANG === "th" ? "อ." : "") + pick([area.amphoe.th, area.amphoe.en]), p: (LANG === "th" ? "จ." : "") + pick([area.province.th, area.province.en]), n: area.villages.length.toLocaleString() }) : t("areaNone");
  }

  async function doSearch(ev) {
    ev.preventDefault();
    const box = $("results"), q = $("q").value.trim();
    box.textContent = "";
    if (!q) return;
    if (!navigator.onLine) { box.textContent = t("needOnline"); return; }
    try {
      const r = await getJSON("/field/api/search?q=" + encodeURIComponent(q));
      if (!r.places.length) { box.textContent = t("noPlace"); return; }
      r.places.forEach((p) => box.appendChild(choice(LANG === "th" ? p.th : p.en + " (" + p.pcode + ")", () => choosePlace(p))));
    } catch (e) { box.textContent = t("netFail"); }
  }
  function choice(text, fn) { const b = document.createElement("button"); b.type = "button"; b.textContent = text; b.onclick = fn; return b; }
  function choosePlace(p) {
    const box = $("results");
    box.textContent = "";
    if (p.bounds) map.fitBounds(p.bounds);
    if (p.amphoe) { loadArea(p.amphoe); return; }
    const h = document.createElement("p"); h.className = "hint"; h.textContent = t("pickAmphoe"); box.appendChild(h);
    (p.children || []).forEach((c) => box.appendChild(choice(LANG === "th" ? c.th : c.en, () => { box.textContent = ""; loadArea(c.pcode); })));
  }

  // --- the form: options, draft, checks ----------------------------------------------------
  const FIELDS = ["community_name", "households", "landowner", "description", "contact_name", "contact_phone", "contact_note"];
  let formId = null, lastErrors = null;

  function renderOptions() {
    const chosen = new Set(checked("problems"));
    const urg = checked("urgency")[0] || "medium";
    $("problems").querySelectorAll(".opt").forEach((e) => e.remove());
    CFG.problems.forEach(([code, th, en]) => $("problems").appendChild(opt("checkbox", "problems", code, LANG === "th" ? th : en, chosen.has(code))));
    $("urgency").querySelectorAll(".opt,.seg").forEach((e) => e.remove());
    const seg = document.createElement("div"); seg.className = "seg";
    CFG.urgencies.forEach(([code, th, en]) => seg.appendChild(opt("radio", "urgency", code, LANG === "th" ? th : en, code === urg)));
    $("urgency").appendChild(seg);
    const sel = $("f-landowner"), keep = sel.value || "unknown";
    sel.textContent = "";
    CFG.landowners.forEach(([code, th, en]) => { const o = document.createElement("option"); o.value = code; o.textContent = LANG === "th" ? th : en; sel.appendChild(o); });
    sel.value = keep;
  }
  function opt(type, name, value, text, on) {
    const l = document.createElement("label"); l.className = "opt";
    const i = document.createElement("input"); i.type = type; i.name = name; i.value = value; i.checked = !!on;
    i.addEventListener("change", saveDraft);
    l.appendChild(i); l.appendChild(document.createTextNode(text));
    return l;
  }
  const checked = (name) => Array.from(document.querySelectorAll('input[name="' + name + '"]:checked')).map((i) => i.value);

  function collect() {
    const data = { form_id: formId, geometry: shape, problems: checked("problems"), urgency: checked("urgency")[0] || "" };
    FIELDS.forEach((f) => (data[f] = $("f-" + f).value.trim()));
    data.households = data.households === "" ? null : Number(data.households);
    ["contact_name", "contact_phone", "contact_note", "description"].forEach((f) => { if (data[f] === "") data[f] = f === "description" ? "" : null; });
    return data;
  }
  function fill(data) {
    FIELDS.forEach((f) => ($("f-" + f).value = data[f] == null ? "" : data[f]));
    if (!data.landowner) $("f-landowner").value = "unknown";
    document.querySelectorAll('input[name="problems"]').forEach((i) => (i.checked = (data.problems || []).includes(i.value)));
    document.querySelectorAll('input[name="urgency"]').forEach((i) => (i.checked = i.value === (data.urgency || "medium")));
    shape = data.geometry || null; redraw(); showShape();
  }
  let draftTimer = null;
  function saveDraft() {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(() => DB.put("kv", collect(), "draft").catch(() => {}), 250);
  }

  // every problem at once, beside its field (the server checks again with the same rules)
  function check(d) {
    const e = [];
    if (!d.community_name) e.push({ field: "community_name", th: T.eName[0], en: T.eName[1] });
    if (!(Number.isInteger(d.households) && d.households >= 1 && d.households <= 10000)) e.push({ field: "households", th: T.eHouse[0], en: T.eHouse[1] });
    if (!d.problems.length) e.push({ field: "problems", th: T.eProb[0], en: T.eProb[1] });
    if (!d.urgency) e.push({ field: "urgency", th: T.eUrg[0], en: T.eUrg[1] });
    if (!d.geometry) e.push({ field: "geometry", th: T.eGeom[0], en: T.eGeom[1] });
    if (d.contact_phone && !/^[0-9+() -]{6,20}$/.test(d.contact_phone)) e.push({ field: "contact_phone", th: T.ePhone[0], en: T.ePhone[1] });
    return e;
  }
  function clearErr(field) {
    const el = $("err-" + field); if (el) el.textContent = "";
    const input = $("f-" + field) || $(field);
    if (input) input.removeAttribute("aria-invalid");
  }
  function showErrors(errors) {
    lastErrors = errors;
    document.querySelectorAll("#need .err, #err-geometry").forEach((el) => (el.textContent = ""));
    document.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    errors.forEach((er) => {
      const field = er.field === "contact" ? "contact_name" : er.field;
      const el = $("err-" + field) || $("err-form");
      el.textContent = (el.textContent ? el.textContent + " " : "") + (LANG === "th" ? er.th : er.en);
      const input = $("f-" + field) || $(field);
      if (input) input.setAttribute("aria-invalid", "true");
    });
    if (errors.length) $("err-form").textContent = t("fixThis");
  }

  let lastSent = null;
  function sentText(r) {
    if (r === "local") return t("savedLocal");
    if (r.already_saved) return t("already", { r: r.receipt });
    const th = LANG === "th";
    return t("savedServer", { r: r.receipt, t: th ? r.tambon_th : r.tambon_en, a: th ? r.amphoe_th : r.amphoe_en, p: th ? r.province_th : r.province_en });
  }
  async function onSubmit(ev) {
    ev.preventDefault();
    $("sent").textContent = ""; lastSent = null;
    const data = collect();
    const errors = check(data);
    showErrors(errors);
    if (errors.length) { lastErrors = errors; return; }
    lastErrors = null;
    $("err-form").textContent = "";
    const entry = { form_id: data.form_id, payload: data, state: "waiting", created: Date.now(), receipt: null, errors: null };
    await DB.put("outbox", entry);
    startNewForm();
    await renderOutbox();
    if (!navigator.onLine) { lastSent = "local"; $("sent").textContent = sentText(lastSent); return; }
    const result = await sendOne(entry);
    if (result === "refused") {  // put it back in the form with every problem beside its field
      await DB.del("outbox", entry.form_id);
      formId = entry.form_id; fill(entry.payload); saveDraft(); showErrors(entry.errors); renderOutbox();
    } else if (result === "sent") {
      lastSent = entry.receipt; $("sent").textContent = sentText(lastSent);
    } else { lastSent = "local"; $("sent").textContent = sentText(lastSent); return; }  // tried again later
    sync();
  }

  function startNewForm() {
    formId = newFormId(); lastErrors = null;
    fill({ form_id: formId, problems: [], urgency: "medium", landowner: "unknown" });
    showErrors([]); $("err-form").textContent = "";
    DB.put("kv", collect(), "draft").catch(() => {});
  }

  // --- outbox: send, resend, status ---------------------------------------------------------
  function csrf() { const m = document.cookie.match(/(?:^|; )phang_csrf=([^;]+)/); return m ? decodeURIComponent(m[1]) : null; }
  async function ensureCsrf() { if (!csrf()) await refreshMe(); return csrf(); }

  let sending = false;
  async function sendOne(entry) {
    const body = JSON.stringify(entry.payload);
    for (let attempt = 0; attempt < 2; attempt++) {
      let r;
      try {
        const token = await ensureCsrf();
        r = await fetch("/field/api/submit", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "X-CSRF-Token": token || "" }, body });
      } catch (e) { return "waiting"; }  // no network, or the answer was lost: send again later
      let data = null;
      try { data = await r.json(); } catch (e) { data = null; }
      if (r.ok && data && data.receipt) {
        entry.state = "sent"; entry.receipt = data.receipt; entry.sent = Date.now(); entry.errors = null;
        await DB.put("outbox", entry);
        return "sent";
      }
      if (r.status === 403 && attempt === 0) { await refreshMe(true); continue; }
      if ([400, 409, 413, 422].includes(r.status) && data && data.errors) {
        entry.state = "refused"; entry.errors = data.errors;
        await DB.put("outbox", entry);
        return "refused";
      }
      return "waiting";  // server busy or down: keep it
    }
    return "waiting";
  }

  async function sync() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      const all = await DB.all("outbox");
      for (const e of all.filter((x) => x.state === "waiting").sort((a, b) => a.created - b.created)) {
        if ((await sendOne(e)) === "waiting") break;
      }
      await refreshStatus();
    } finally { sending = false; renderOutbox(); }
  }

  async function refreshStatus() {
    const all = (await DB.all("outbox")).filter((e) => e.state === "sent" && e.receipt);
    if (!all.length || !navigator.onLine) return;
    try {
      const q = all.slice(-50).map((e) => "r=" + encodeURIComponent(e.receipt.receipt)).join("&");
      const r = await getJSON("/field/api/status?" + q);
      for (const s of r.reports) {
        const e = all.find((x) => x.receipt.receipt === s.receipt);
        if (e && s.status) { e.status = s; await DB.put("outbox", e); }
      }
    } catch (e) { /* offline again: keep what we know */ }
  }

  async function renderOutbox() {
    let all = [];
    try { all = await DB.all("outbox"); } catch (e) { return; }
    all.sort((a, b) => b.created - a.created);
    const ul = $("outbox");
    ul.textContent = "";
    $("outbox-empty").hidden = all.length > 0;
    all.forEach((e) => {
      const li = document.createElement("li");
      li.dataset.state = e.state; li.dataset.formId = e.form_id;
      const p = e.payload, st = { waiting: "stWaiting", sent: "stSent", refused: "stRefused" }[e.state];
      let html = '<span class="st ' + e.state + '">' + esc(t(st)) + "</span> · " + esc(p.community_name) + " · " + esc(t("households_n", { n: p.households }));
      if (e.receipt) html += '<br><span class="code">' + esc(e.receipt.receipt) + "</span> · " + esc(LANG === "th" ? "ต." + e.receipt.tambon_th : e.receipt.tambon_en);
      if (e.status) html += " · " + esc(LANG === "th" ? e.status.th : e.status.en);
      if (e.errors) html += '<br><span class="err">' + e.errors.map((x) => esc(LANG === "th" ? x.th : x.en)).join(" ") + "</span>";
      li.innerHTML = html;
      if (e.state === "refused") li.appendChild(choice(t("fix"), async () => { await DB.del("outbox", e.form_id); formId = e.form_id; fill(e.payload); showErrors(e.errors || []); renderOutbox(); $("need").scrollIntoView(); }));
      ul.appendChild(li);
    });
    renderNet(all.filter((e) => e.state === "waiting").length);
  }

  let waitingCount = 0;
  function renderNet(n) {
    if (typeof n === "number") waitingCount = n;
    const el = $("net");
    el.textContent = (navigator.onLine ? t("online") : t("offline")) + (waitingCount ? " · " + t("waitingN", { n: waitingCount }) : "");
    el.classList.toggle("off", !navigator.onLine);
  }

  // --- account (the same session cookie as the Streamlit pages) -----------------------------
  let user = null;
  try { user = JSON.parse(localStorage.getItem("phang-user") || "null"); } catch (e) { user = null; }
  async function refreshMe(force) {
    if (!navigator.onLine && !force) return;
    try {
      const r = await getJSON("/session/me");
      user = r.user; localStorage.setItem("phang-user", JSON.stringify(user)); renderWho();
    } catch (e) { /* offline */ }
  }
  function renderWho() {
    $("who").textContent = user ? t("signedAs", { n: user.display_name + " (" + user.username + ")" }) : t("anon");
    $("signin").hidden = !!user; $("signout").hidden = !user;
  }
  async function signIn(ev) {
    ev.preventDefault();
    ["username", "password", "signin"].forEach((f) => ($("err-" + f).textContent = ""));
    try {
      const token = await ensureCsrf();
      const r = await fetch("/session/sign-in", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "X-CSRF-Token": token || "" }, body: JSON.stringify({ username: $("s-username").value, password: $("s-password").value }) });
      const data = await r.json();
      if (!r.ok) { data.errors.forEach((er) => { const el = $("err-" + (er.field || "signin")) || $("err-signin"); el.textContent = LANG === "th" ? er.th : er.en; }); return; }
      $("s-password").value = ""; user = data.user; localStorage.setItem("phang-user", JSON.stringify(user)); renderWho();
    } catch (e) { $("err-signin").textContent = t("netFail"); }
  }
  async function signOut() {
    try {
      const token = await ensureCsrf();
      await fetch("/session/sign-out", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": token || "" } });
      user = null; localStorage.removeItem("phang-user"); renderWho();
    } catch (e) { $("err-signin").textContent = t("netFail"); }
  }

  // --- start -------------------------------------------------------------------------------
  async function start() {
    if (!window.isSecureContext) $("insecure").hidden = false;
    initMap();
    renderOptions();
    applyLang();
    $("lang").onclick = () => { LANG = LANG === "th" ? "en" : "th"; localStorage.setItem("phang-lang", LANG); applyLang(); };
    $("locate").onclick = locateMe;
    $("search").addEventListener("submit", doSearch);
    $("t-point").onclick = () => setMode("point");
    $("t-poly").onclick = () => setMode("poly");
    $("t-undo").onclick = () => { vertices.pop(); redraw(); };
    $("t-done").onclick = finishPolygon;
    $("t-clear").onclick = () => { shape = null; vertices = []; redraw(); showShape(); saveDraft(); };
    $("need").addEventListener("submit", onSubmit);
    $("need").addEventListener("input", (e) => { saveDraft(); if (e.target.name) clearErr(e.target.name); });
    $("signin").addEventListener("submit", signIn);
    $("signout").onclick = signOut;
    window.addEventListener("online", () => { renderNet(); refreshMe(); sync(); });
    window.addEventListener("offline", () => renderNet());
    let draft = null, pack = null;
    try { [draft, pack] = await Promise.all([DB.get("kv", "draft"), DB.get("kv", "area")]); } catch (e) { /* private mode */ }
    if (draft && draft.form_id) { formId = draft.form_id; fill(draft); } else startNewForm();
    if (pack) { drawArea(pack); map.fitBounds([[pack.bbox[1], pack.bbox[0]], [pack.bbox[3], pack.bbox[2]]]); showShape(); }
    renderArea(); renderWho();
    document.documentElement.dataset.ready = "1";  // the map and the form can be used
    if (performance.mark) performance.mark("phang-ready");
    await renderOutbox();
    getJSON("/field/api/overview?v=" + encodeURIComponent(CFG.build)).then(drawOverview).catch(() => {});
    refreshMe().then(sync);
    setInterval(sync, 30000);
    if ("serviceWorker" in navigator && window.isSecureContext) navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(() => {});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
