"""The report's inline CSS and JavaScript.

The page fits a wide screen without cutting a column (long paths and notes wrap) and
reads on a phone: below 760 px the documents and flags tables become one card per row,
and the wider tables scroll inside their own box, never the page. The script only
shows one province group at a time and filters the trend cards by name; without it
every group and card is shown.
"""

from __future__ import annotations

from parindex.flag_targets import MARK_COLOURS, SEVERITY_COLOURS

CSS = """
:root{--error:#%(error)s;--warning:#%(warning)s;--info:#%(info)s;--mark-error:%(mark_error)s;
 --mark-warning:%(mark_warning)s;--mark-info:%(mark_info)s}
*{box-sizing:border-box}
body{font-family:system-ui,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;margin:0 auto;max-width:1400px;
 padding:0 1rem 3rem;color:#222;line-height:1.4}
h1{font-size:1.5rem;margin:1rem 0 .3rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #ddd}
h3{font-size:1rem;margin:.2rem 0 .3rem}
nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem}
a{color:#1f5aa6}
.table-box{max-width:100%%;overflow-x:auto}
table{border-collapse:collapse;margin:.4rem 0;font-size:.85rem}
th,td{border:1px solid #ddd;padding:.25rem .45rem;vertical-align:top;text-align:left}
th{background:#f4f4f4;position:sticky;top:0;z-index:1}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.file{min-width:15rem;overflow-wrap:anywhere}td.where{min-width:8.5rem}td.note{min-width:14rem;overflow-wrap:anywhere}
table.documents,table.flags{width:100%%}
tr.sev-error>td:first-child{border-left:5px solid var(--mark-error)}
tr.sev-warning>td:first-child{border-left:5px solid var(--mark-warning)}
tr.sev-info>td:first-child{border-left:5px solid var(--mark-info)}
.badge{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:.8rem;white-space:nowrap}
.error,.failed{background:var(--error)}.warning,.partial{background:var(--warning)}.info{background:var(--info)}
.ok{background:#d4edda}.printed{background:#fafafa;min-width:16rem}.printed .label{font-weight:600}
.code{font-family:ui-monospace,monospace;background:#eee;padding:0 .25rem;border-radius:.2rem;margin-right:.3rem}
.muted{color:#6b6b6b}.small{font-size:.8rem}.path{font-size:.75rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%%,340px),1fr));gap:.9rem;align-items:start}
.card{border:1px solid #ddd;border-radius:.4rem;padding:.5rem .7rem;background:#fff;min-width:0}
.card.group{border-style:dashed;background:#fbfbfb}
details>summary{cursor:pointer;margin:.4rem 0}
svg.chart{display:block;width:100%%;height:auto;margin:.4rem 0 .1rem}
svg a{cursor:pointer}
ul.legend{list-style:none;padding:0;margin:.1rem 0 .5rem;font-size:.78rem;columns:1}
ul.legend li{margin:.1rem 0;padding-left:1.1rem;text-indent:-1.1rem}
.swatch{display:inline-block;width:.7rem;height:.7rem;margin-right:.4rem;vertical-align:-.05rem}
td.flagged{background:#fffaf0}td.value a{text-decoration:none}
.flag-glyph.sev-error{color:var(--mark-error)}.flag-glyph.sev-warning{color:var(--mark-warning)}
.flag-glyph.sev-info{color:var(--mark-info)}
.also{font-size:.75rem;color:#6b6b6b;white-space:nowrap}
select,input[type=search]{font-size:1rem;margin:.4rem 0;max-width:100%%}
input[type=search]{width:22rem}
tr.group td{font-style:italic;color:#555}
.side-by-side{display:flex;flex-wrap:wrap;gap:.5rem 2rem;align-items:flex-start}
.side-by-side>.table-box{flex:0 1 auto}.side-by-side>svg.chart{flex:1 1 320px;max-width:460px}
@media (max-width:760px){
 body{padding:0 .6rem 2rem}
 table.stack,table.stack tbody{display:block;width:100%%}
 table.stack thead{display:none}
 table.stack tr{display:flex;flex-wrap:wrap;column-gap:.9rem;border:1px solid #ddd;border-radius:.4rem;
  margin:.6rem 0;padding:.35rem .55rem;background:#fff}
 table.stack td{display:block;border:none;padding:.12rem 0;min-width:0;text-align:left;white-space:normal}
 table.stack td.file,table.stack td.note,table.stack td.printed,table.stack td.message{flex-basis:100%%}
 table.stack td.zero{display:none}
 table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#555}
 table.stack td:empty{display:none}
 table.stack tr.sev-error{border-left:5px solid var(--mark-error)}
 table.stack tr.sev-warning{border-left:5px solid var(--mark-warning)}
 table.stack tr.sev-info{border-left:5px solid var(--mark-info)}
 table.stack tr>td:first-child{border-left:none}
 .printed{min-width:0}input[type=search]{width:100%%}
}
@media print{nav,#trend-filter,#compare-pick{display:none}.compare-group[hidden]{display:block}
 .card{break-inside:avoid}}
""" % {**SEVERITY_COLOURS, **{f"mark_{k}": v for k, v in MARK_COLOURS.items()}}

SCRIPT = """
(function () {
  var pick = document.getElementById('compare-pick');
  if (pick) {
    var groups = document.querySelectorAll('.compare-group');
    var show = function () { groups.forEach(function (g) { g.hidden = g.id !== pick.value; }); };
    pick.hidden = false;
    pick.addEventListener('change', show);
    show();
  }
  var filter = document.getElementById('trend-filter');
  if (filter) {
    var plain = function (s) {
      return s.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
    };
    var cards = document.querySelectorAll('#trends .card');
    filter.hidden = false;
    filter.addEventListener('input', function () {
      var q = plain(filter.value.trim());
      cards.forEach(function (c) { c.hidden = q !== '' && plain(c.getAttribute('data-search')).indexOf(q) < 0; });
    });
  }
  document.documentElement.setAttribute('data-js', 'ready');
})();
"""
