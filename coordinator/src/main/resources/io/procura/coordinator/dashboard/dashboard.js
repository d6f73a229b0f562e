// The coordinator's dashboard: plain JavaScript over the public API (/v1/slots, /v1/provers, /v1/quote,
// /health/ready), refreshed every 5 s. Amounts arrive as decimal strings of 18-decimal base units and are shown in
// tokens; no build step.
"use strict";

const REFRESH_MS = 5000;
const charts = {};

function tokens(base) {
  if (base === null || base === undefined) return "—";
  const v = BigInt(base);
  const whole = v / 10n ** 18n;
  const frac = (v % 10n ** 18n).toString().padStart(18, "0").slice(0, 4).replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : `${whole}`;
}

function short(addr) {
  return addr ? addr.slice(0, 8) + "…" + addr.slice(-4) : "—";
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

async function get(path) {
  const r = await fetch(path, { headers: { accept: "application/json" } });
  const body = await r.json();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${body.error ? body.error.message : ""}`);
  return body;
}

function fill(table, rows, render) {
  const body = document.querySelector(`#${table} tbody`);
  body.replaceChildren();
  for (const item of rows) render(body.insertRow(), item);
}

function chart(id, type, labels, data, colors) {
  if (typeof Chart === "undefined") return;
  if (charts[id]) {
    charts[id].data.labels = labels;
    charts[id].data.datasets[0].data = data;
    charts[id].update();
    return;
  }
  charts[id] = new Chart(document.getElementById(id), {
    type,
    data: { labels, datasets: [{ data, backgroundColor: colors }] },
    options: { animation: false, plugins: { legend: { display: type !== "bar" } } },
  });
}

async function refreshQuote() {
  const c = document.getElementById("quote-c").value;
  const price = document.getElementById("quote-price").value;
  const dl = document.getElementById("quote");
  try {
    const q = await get(`/v1/quote?livenessPenalty=${encodeURIComponent(c)}&proofPrice=${encodeURIComponent(price)}`);
    const rows = [
      ["eligible provers n", q.eligibleProvers], ["assumed honest h", q.honestProvers],
      ["committee size m", q.committeeSize], ["mixing probability p", q.mixingProbability.toFixed(6)],
      ["worst-case loss (proof-cost units)", q.worstCaseLoss.toFixed(4)], ["escrow (tokens)", tokens(q.escrow)],
      ["bond at risk (tokens)", tokens(q.bondAtRisk)],
    ];
    dl.replaceChildren(...rows.flatMap(([k, v]) => {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = v;
      return [dt, dd];
    }));
  } catch (e) {
    dl.textContent = e.message;
  }
}

async function refresh() {
  try {
    const [ready, slots, provers] = await Promise.all([
      fetch("/health/ready").then((r) => r.json()), get("/v1/slots?limit=100"), get("/v1/provers?limit=100"),
    ]);
    document.getElementById("status").textContent =
      `chain head ${ready.head ?? "?"}, indexed to block ${ready.indexed ?? "?"} — ${slots.total} slots, ` +
      `${provers.total} provers — ${new Date().toLocaleTimeString()}`;
    document.getElementById("error").textContent = "";

    fill("slots", slots.items, (row, s) => {
      row.dataset.slot = s.slotId;
      cell(row, s.slotId); cell(row, s.circuitId); cell(row, s.state); cell(row, short(s.designate));
      cell(row, s.deliveries, "num");
      cell(row, s.deadline ? new Date(s.deadline * 1000).toLocaleTimeString() : "—");
      cell(row, s.outcome ?? "—", s.outcome ?? "");
      cell(row, tokens(s.escrow), "num"); cell(row, tokens(s.slashed), "num"); cell(row, tokens(s.refunded), "num");
    });

    const duties = {}, delivered = {};
    for (const s of slots.items) {
      if (!s.designate) continue;
      duties[s.designate] = (duties[s.designate] || 0) + 1;
      if (s.outcome === "delivered") delivered[s.designate] = (delivered[s.designate] || 0) + 1;
    }
    fill("provers", provers.items, (row, p) => {
      row.dataset.prover = p.address;
      cell(row, short(p.address)); cell(row, tokens(p.stake), "num"); cell(row, tokens(p.locked), "num");
      cell(row, tokens(p.free), "num"); cell(row, p.jailed ? "jailed" : "no", p.jailed ? "jailed" : "");
      cell(row, p.eligible ? "yes" : "no"); cell(row, p.circuits.join(", "));
      cell(row, duties[p.address] || 0, "num"); cell(row, delivered[p.address] || 0, "num");
    });

    const failed = slots.items.filter((s) => (s.slashed && BigInt(s.slashed) > 0n) || s.outcome === "cancelled");
    fill("slashes", failed, (row, s) => {
      cell(row, s.slotId); cell(row, short(s.designate)); cell(row, s.outcome, s.outcome);
      cell(row, tokens(s.slashed), "num"); cell(row, tokens(s.refunded), "num");
    });

    const kinds = ["delivered", "committee", "no_proof", "cancelled", "open"];
    const counts = kinds.map((k) => slots.items.filter((s) => (s.outcome ?? "open") === k).length);
    chart("outcomes", "doughnut", kinds, counts, ["#137333", "#9a6700", "#b3261e", "#8a93a6", "#4a7bd0"]);
    chart("stakes", "bar", provers.items.map((p) => short(p.address)),
      provers.items.map((p) => Number(tokens(p.stake))), "#4a7bd0");
    document.body.dataset.loaded = "true";
  } catch (e) {
    document.getElementById("error").textContent = "cannot reach the coordinator: " + e.message;
  }
}

// the next refresh starts when this one has ended (a slow coordinator gets no overlapping requests), and not while
// the page is hidden
async function loop(work, every) {
  if (!document.hidden) await work();
  setTimeout(() => loop(work, every), every);
}

document.getElementById("quote-form").addEventListener("change", refreshQuote);
document.addEventListener("visibilitychange", () => { if (!document.hidden) { refresh(); refreshQuote(); } });
loop(refresh, REFRESH_MS);
loop(refreshQuote, 4 * REFRESH_MS);
