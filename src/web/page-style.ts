/** The page's stylesheet, inline: one request per page, nothing to cache-bust. */
export const PAGE_STYLE = `
:root{--fg:#1d1c1d;--muted:#616061;--line:#e2e2e2;--ok:#2eb67d;--bad:#e01e5a;--warn:#ecb22e;--bar:#1264a3;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg)}
body{margin:0 auto;max-width:1100px;padding:16px 20px 40px;line-height:1.4}
h1{font-size:1.5rem;margin:.2em 0 .4em}h2{font-size:1.1rem;margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:4px}
h2 small,footer,.muted{color:var(--muted);font-weight:normal;font-size:.85rem}
.facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:0}.facts dt{font-size:.75rem;color:var(--muted);text-transform:uppercase}.facts dd{margin:0}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:.8rem;font-weight:600;vertical-align:middle}
.sev{background:var(--bad);color:#fff}.open{background:#fde8ef;color:var(--bad)}.closed{background:#e3f6ee;color:#137a4d}.late{background:#fff4d6;color:#7a5a00}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.75rem;color:var(--muted);text-transform:uppercase}
.timeline td:first-child{white-space:nowrap;font-variant-numeric:tabular-nums}.kind{font-family:ui-monospace,monospace;font-size:.8rem;background:#f4f4f4;border-radius:3px;padding:0 4px}
.evidence{color:var(--muted);font-size:.8rem;font-family:ui-monospace,monospace;word-break:break-word}
.s-ok .state{color:#137a4d}.s-fail .state{color:var(--bad);font-weight:600}.s-warn .state{color:#7a5a00}.s-unknown .state{color:var(--muted)}
.verdict{background:#f8f8f8;border-left:4px solid var(--bar);padding:4px 12px;margin-bottom:8px}
.phase-chart{max-width:900px}.phase-chart text{font-size:12px;fill:var(--fg)}.phase-chart .figures{fill:var(--muted)}
.phase-chart .budget{fill:none;stroke:#9a9a9a;stroke-dasharray:4 3}.phase-chart .actual{fill:var(--bar)}.phase-chart .overrun{fill:var(--bad)}
.phase-chart .pending .name,.phase-chart .skipped .name{fill:var(--muted)}
tr.fresh{animation:fresh 3s ease-out}@keyframes fresh{from{background:#fff4d6}to{background:transparent}}
.pager{margin:6px 0;font-size:.85rem}.filter{margin:4px 0 8px}
footer{margin-top:24px}
`;
